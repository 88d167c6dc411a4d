import { type Command, InvalidArgumentError } from 'commander';
import type { AgentDeps } from '../agent/agent.ts';
import { createChatModel } from '../agent/models/index.ts';
import { createAgentDeps } from '../agent/setup.ts';
import { createSummariser } from '../agent/summarise.ts';
import { defaultMinF1 } from '../learn/suite-check.ts';
import { regressions } from '../learn/suite-diff.ts';
import { readSuiteFile, type Suite, suiteFromQaPairs } from '../learn/suite-file.ts';
import { registerSuite } from '../learn/suite-registry.ts';
import { runSuite } from '../learn/suite-run.ts';
import { findRun, latestRun, type StoredRun } from '../learn/suite-store.ts';
import { companyProfile } from '../support/company-profile.ts';
import { dataDirOption, type Runtime, withRuntime } from './runtime.ts';

interface SuiteOptions {
  model?: string;
  json?: boolean;
  baseline?: string;
  failUnder?: number;
  fromQa?: 'test';
  minF1: number;
  register?: boolean;
  dataDir?: string;
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

function qaSplit(value: string): 'test' {
  if (value !== 'test') throw new InvalidArgumentError('only the test split is held out for evaluation');
  return value;
}

/**
 * The agent answering with `--model`: `offline` for the offline model, any other name for that model on the
 * configured OpenAI-compatible server; without it, the model the agent uses anyway.
 */
async function agentFor(rt: Runtime, model: string | undefined): Promise<AgentDeps> {
  const agent = await createAgentDeps(rt.config, rt.database.db, rt.embedder);
  if (!model) return agent;
  if (model !== 'offline' && !rt.config.openai)
    throw new Error(`--model ${model} needs OPENAI_API_KEY (or use --model offline)`);
  const companyName = (await companyProfile(rt.database.db)).name;
  const chat = createChatModel(
    {
      openai: model === 'offline' ? undefined : rt.config.openai,
      agent: { ...rt.config.agent, chatModel: model },
    },
    companyName,
  );
  return { ...agent, chat, summarise: createSummariser(chat) };
}

async function baselineRun(rt: Runtime, suite: Suite, ref: string): Promise<StoredRun | undefined> {
  if (ref === 'latest') return latestRun(rt.database.db, suite.name);
  if (!/^[0-9a-f-]{36}$/i.test(ref)) throw new Error(`--baseline takes a run id or "latest", not "${ref}"`);
  const run = await findRun(rt.database.db, ref);
  if (!run) throw new Error(`No run ${ref}`);
  return run;
}

export function registerEvalSuite(program: Command): void {
  const evalCmd = program.commands.find((c) => c.name() === 'eval');
  if (!evalCmd) throw new Error('register the eval command first');
  evalCmd
    .command('suite')
    .description(
      'Run an answer test suite (JSON Lines of cases with expectations), store the run, and compare it with ' +
        'a baseline run; exits 1 on a regression or a pass rate under --fail-under',
    )
    .argument('[file]', 'the suite: one {id, question, customer?, history?, expect} per line')
    .option('--model <model>', '"offline", or a chat model of the configured OpenAI-compatible server')
    .option('--json', 'print {n, passed, pass_rate, failures: [{id, reasons}], run_id, regressions}')
    .option('--baseline <run>', 'a run id, or "latest": fail when a case that passed there fails now')
    .option('--fail-under <rate>', 'fail when the pass rate (0-1) is below this', rate)
    .option('--from-qa <split>', 'build the cases from the approved Q&A pairs of this split (test)', qaSplit)
    .option(
      '--min-f1 <f1>',
      'with --from-qa: token F1 an answer needs against the reference',
      rate,
      defaultMinF1,
    )
    .option('--register', 'keep the cases so a change in a document they rely on re-runs them')
    .option(...dataDirOption)
    .action(async (file: string | undefined, opts: SuiteOptions) => {
      if (!file === !opts.fromQa) throw new Error('give a suite file or --from-qa test (one of them)');
      await withRuntime(opts, async (rt) => {
        const suite = file
          ? await readSuiteFile(file)
          : await suiteFromQaPairs(rt.database.db, { minF1: opts.minF1 });
        if (suite.cases.length === 0) throw new Error('there are no approved test-split Q&A pairs');
        process.exitCode = await runAndReport(rt, suite, opts);
      });
    });
}

async function runAndReport(rt: Runtime, suite: Suite, opts: SuiteOptions): Promise<number> {
  const agent = await agentFor(rt, opts.model);
  const baseline = opts.baseline ? await baselineRun(rt, suite, opts.baseline) : undefined;
  if (opts.baseline && !baseline && !opts.json)
    console.error(`No earlier run of ${suite.name}: no baseline.`);
  const registered = opts.register ? await registerSuite(rt.database.db, suite) : undefined;
  if (!opts.json)
    console.error(`Running ${suite.cases.length} cases of ${suite.name} with ${agent.chat.id}.`);
  const stored = await runSuite(agent, suite, {
    trigger: 'cli',
    suiteId: registered?.id,
    onCase: opts.json
      ? undefined
      : (r) =>
          console.log(
            r.verdict.passed ? `✓ ${r.case.id}` : `✗ ${r.case.id}: ${r.verdict.reasons.join('; ')}`,
          ),
  });
  const { run, cases } = stored;
  const broke = baseline ? regressions(baseline, stored).map((c) => c.caseId) : [];
  const passRate = Math.round(run.passRate * 1000) / 1000;
  const underRate = opts.failUnder !== undefined && passRate < opts.failUnder;
  if (opts.json) {
    const failures = cases.filter((c) => !c.passed).map((c) => ({ id: c.caseId, reasons: c.reasons }));
    console.log(
      JSON.stringify({
        n: run.n,
        passed: run.passed,
        pass_rate: passRate,
        failures,
        run_id: run.id,
        model: run.model,
        suite: suite.name,
        baseline_run_id: baseline?.run.id ?? null,
        regressions: broke,
      }),
    );
  } else {
    console.log(
      `\n${run.passed}/${run.n} passed (${(passRate * 100).toFixed(1)}%) · ${run.model} · run ${run.id}`,
    );
    if (run.changedAnswers) console.log(`${run.changedAnswers} answers changed since the previous run.`);
    if (registered) console.log(`Registered ${suite.name}: document changes will re-run it.`);
  }
  if (broke.length)
    console.error(
      `Regressions against run ${baseline!.run.id}: ${broke.join(', ')} passed there and fail now.`,
    );
  if (underRate) console.error(`Pass rate ${passRate} is under --fail-under ${opts.failUnder}.`);
  return broke.length || underRate ? 1 : 0;
}
