import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/parley.js');

/**
 * The pass rate CI requires of the demo suite. Its cases test behaviour the product must have (citing the
 * right document, abstaining out of scope, account tools for a signed-in customer, hand-over on request), not
 * wording; the offline model passes all 14 today, so 0.8 leaves room for answer-quality work in progress
 * without letting a broken behaviour through unnoticed for long.
 */
const requiredPassRate = '0.8';

function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
}

// What CI runs: the demo company seeded into an embedded database, then its answer suite.
describe('the demo answer suite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-demo-suite-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(`passes examples/tests/demo.jsonl at ${requiredPassRate} or better`, { timeout: 180_000 }, async () => {
    const options = { env: cleanEnv(), cwd: root };
    await run(process.execPath, [bin, 'seed', '--demo', '--data-dir', dataDir], options);
    let result: { stdout: string; stderr: string; code: number };
    try {
      result = {
        ...(await run(
          process.execPath,
          [
            bin,
            'eval',
            'suite',
            'examples/tests/demo.jsonl',
            '--fail-under',
            requiredPassRate,
            '--json',
            '--data-dir',
            dataDir,
          ],
          options,
        )),
        code: 0,
      };
    } catch (error) {
      result = error as { stdout: string; stderr: string; code: number };
    }
    const report = JSON.parse(result.stdout) as { n: number; pass_rate: number; failures: unknown[] };
    // The failures are in the message, so a CI log says which behaviour broke.
    expect(result.code, JSON.stringify(report.failures, null, 2)).toBe(0);
    expect(report.n).toBeGreaterThanOrEqual(10);
  });
});
