/**
 * Answer quality of the agent against a naive extractive baseline, on the MTRAG IBM Cloud set
 * (`npx tsx bench/answers.ts [--limit N] [--set DIR]`). The agent's figures come from the real command,
 * `parley eval answers`, run as a separate process with the environment's configuration (offline model without
 * a key); the baseline ("BM25's top file, its two sentences sharing most query words") is scored by the same
 * functions on the same questions. Out-of-scope abstention is reported on the dev (even ids) and test (odd ids)
 * halves of `data/out-of-scope.jsonl`; the MTRAG turns marked UNANSWERABLE are reported on their own.
 * Run `npx tsx bench/answer-data.ts` first if `bench/data/` is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AnswerDetail,
  type AnswerMetrics,
  evaluateAnswers,
  readAnswerQueries,
  readUnanswerable,
} from '../src/learn/answer-eval.ts';
import { bm25TwoSentences } from './bm25-sentences.ts';
import { describeEnvironment } from './environment.ts';
import { markdownTable } from './stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const set = path.resolve(argument('--set') ?? path.join(root, '../shared/data/mtrag-ibmcloud'));
const data = path.join(root, 'bench/data');
const limit = Number(argument('--limit') ?? Infinity);

interface Run {
  metrics: AnswerMetrics;
  details: AnswerDetail[];
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-answers-'));
// Out-of-scope questions first, then MTRAG's unanswerable turns: both runs see the same list.
const unanswerableFile = path.join(scratch, 'unanswerable.jsonl');
fs.writeFileSync(
  unanswerableFile,
  ['out-of-scope.jsonl', 'mtrag-unanswerable.jsonl']
    .map((f) => fs.readFileSync(path.join(data, f), 'utf8').trim())
    .join('\n') + '\n',
);

function agentRun(queries: string, withUnanswerable: boolean): Run {
  const detailsFile = path.join(scratch, `details-${path.basename(queries)}`);
  const args = [
    path.join(root, 'bin/parley.js'),
    'eval',
    'answers',
    set,
    '--queries',
    queries,
    '--data-dir',
    path.join(scratch, 'db'),
    '--details',
    detailsFile,
    '--json',
    ...(Number.isFinite(limit) ? ['--limit', String(limit)] : []),
    ...(withUnanswerable ? ['--unanswerable', unanswerableFile] : []),
  ];
  const stdout = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const details = fs
    .readFileSync(detailsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AnswerDetail);
  return { metrics: JSON.parse(stdout) as AnswerMetrics, details };
}

async function baselineRun(queries: string, withUnanswerable: boolean): Promise<Run> {
  const details: AnswerDetail[] = [];
  const metrics = await evaluateAnswers(
    (await readAnswerQueries(queries)).slice(0, limit),
    bm25TwoSentences(path.join(set, 'corpus')),
    {
      unanswerable: withUnanswerable ? (await readUnanswerable(unanswerableFile)).slice(0, limit) : undefined,
      onDetail: (d) => details.push(d),
    },
  );
  return { metrics, details };
}

/** Abstention among the unanswerable questions whose id passes `keep`. */
function abstainedAmong(details: AnswerDetail[], keep: (id: string) => boolean): string {
  const group = details.filter((d) => !d.answerable && keep(d.id));
  if (group.length === 0) return '-';
  return `${(group.filter((d) => d.abstained).length / group.length).toFixed(3)} (${group.length})`;
}

const oosIndex = (id: string) => (/^oos-\d+$/.test(id) ? Number(id.slice(4)) : -1);
const dev = (id: string) => oosIndex(id) >= 0 && oosIndex(id) % 2 === 0;
const test = (id: string) => oosIndex(id) >= 0 && oosIndex(id) % 2 === 1;
const mtragUnanswerable = (id: string) => id.includes('<::>');

console.error(JSON.stringify(describeEnvironment()));
try {
  const rows: Record<string, string | number>[] = [];
  for (const kind of ['rewrite', 'lastturn']) {
    const queries = path.join(data, `mtrag-${kind}-answers.jsonl`);
    const withUnanswerable = kind === 'rewrite';
    for (const [who, run] of [
      ['agent', agentRun(queries, withUnanswerable)],
      ['BM25 top file, 2 sentences', await baselineRun(queries, withUnanswerable)],
    ] as const) {
      const m = run.metrics;
      rows.push({
        queries: `${kind} (${m.n})`,
        answerer: who,
        'token recall': m.token_recall.toFixed(3),
        'token precision': m.token_precision.toFixed(3),
        'token F1': m.token_f1.toFixed(3),
        'cites relevant': m.cites_relevant.toFixed(3),
        'answerable refused': m.abstained.toFixed(3),
        'out-of-scope abstained, dev': abstainedAmong(run.details, dev),
        'out-of-scope abstained, test': abstainedAmong(run.details, test),
        'MTRAG unanswerable abstained': abstainedAmong(run.details, mtragUnanswerable),
        'ms/question': m.ms_per_query,
      });
    }
  }
  console.log(markdownTable(rows));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
