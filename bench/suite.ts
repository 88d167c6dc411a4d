/**
 * Pass rates of answer test suites per chat model (`npx tsx bench/suite.ts [--models offline,gpt-4.1-mini]
 * [--suite mtrag|demo]`). Runs the real command, `parley eval suite --json`, as a separate process on a fresh
 * embedded database: for `mtrag` (default) the MTRAG IBM Cloud corpus is ingested first and
 * `bench/suites/mtrag.jsonl` asked; for `demo` the demo company is seeded and `examples/tests/demo.jsonl` asked.
 * Models other than `offline` need OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server); without a key
 * they are reported as skipped. Prints a markdown table, and per-case failures on stderr.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from './environment.ts';
import { markdownTable } from './stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const which = argument('--suite') ?? 'mtrag';
const models = (argument('--models') ?? 'offline').split(',').filter(Boolean);
const set = path.resolve(argument('--set') ?? path.join(root, '../shared/data/mtrag-ibmcloud'));
const suiteFile =
  which === 'demo'
    ? path.join(root, 'examples/tests/demo.jsonl')
    : path.join(root, 'bench/suites/mtrag.jsonl');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-suite-'));
const dataDir = path.join(scratch, 'db');
// The benchmark decides the model per run; the knowledge base is the same for all of them.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !['DATABASE_URL', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
  ),
);
const parley = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(root, 'bin/parley.js'), ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });

interface SuiteReport {
  n: number;
  passed: number;
  pass_rate: number;
  failures: { id: string; reasons: string[] }[];
  run_id: string;
}

try {
  const loadStarted = performance.now();
  if (which === 'demo') parley('seed', '--demo');
  else parley('ingest', path.join(set, 'corpus'));
  console.error(
    JSON.stringify({ loaded: which, seconds: Math.round((performance.now() - loadStarted) / 1000) }),
  );
  const rows: Record<string, string>[] = [];
  for (const model of models) {
    if (model !== 'offline' && !process.env.OPENAI_API_KEY) {
      rows.push({ model, cases: '-', passed: '-', 'pass rate': '-', time: 'skipped: no OPENAI_API_KEY' });
      continue;
    }
    const started = performance.now();
    let stdout: string;
    try {
      stdout = parley('eval', 'suite', suiteFile, '--model', model, '--json');
    } catch (error) {
      // Exit 1 means failing cases (no --fail-under here: a regression against nothing); the report is on stdout.
      stdout = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(stdout) as SuiteReport;
    const seconds = (performance.now() - started) / 1000;
    for (const f of report.failures) console.error(`${model} ✗ ${f.id}: ${f.reasons.join('; ')}`);
    rows.push({
      model,
      cases: String(report.n),
      passed: String(report.passed),
      'pass rate': report.pass_rate.toFixed(3),
      time: `${((seconds * 1000) / report.n).toFixed(0)} ms/case`,
    });
  }
  console.log(`Suite: ${path.relative(root, suiteFile)}\n`);
  console.log(markdownTable(rows));
  console.error(JSON.stringify(describeEnvironment()));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
