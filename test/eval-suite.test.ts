import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ingestInputs } from '../src/knowledge/ingest.ts';
import { importRecords } from '../src/support/import.ts';
import { agentDocs, examplesDir } from './support/agent-fixture.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { testIngestSettings, writeTree } from './support/files.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/parley.js');

function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
}

interface SuiteJson {
  n: number;
  passed: number;
  pass_rate: number;
  failures: { id: string; reasons: string[] }[];
  run_id: string;
  regressions: string[];
}

// `parley eval suite` against a database on the test server (faster to open than PGlite).
describe('parley eval suite', () => {
  let database: TestDatabase;
  let url: string;
  let docs: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-suite-'));
  const suiteFile = (name: string, lines: unknown[]) => {
    const file = path.join(scratch, `${name}.jsonl`);
    fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    return file;
  };
  const parley = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        env: { ...cleanEnv(), DATABASE_URL: url },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const ingest = () =>
    ingestInputs({ db: database.db, embedder: new LocalEmbedder() }, [docs], testIngestSettings);

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    url = database.location.replace(':***@', '@');
    for (const kind of ['products', 'customers', 'orders'] as const)
      await importRecords(database.db, kind, path.join(examplesDir, `${kind}.jsonl`));
    docs = writeTree(agentDocs);
    await ingest();
  });
  afterAll(async () => {
    await database?.destroy();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('fails a case that should fail, and exits 1 under --fail-under', async () => {
    const file = suiteFile('mixed', [
      { id: 'pairing', question: 'My earbuds will not pair', expect: { cites: ['pairing.md'] } },
      { id: 'made-up', question: 'How long do refunds take?', expect: { contains: ['90 days'] } },
    ]);
    const result = await parley('eval', 'suite', file, '--json', '--fail-under', '0.9');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as SuiteJson;
    expect(report).toMatchObject({
      n: 2,
      passed: 1,
      pass_rate: 0.5,
      failures: [{ id: 'made-up', reasons: ['answer lacks "90 days"'] }],
    });
    expect(result.stderr).toMatch(/Pass rate 0\.5 is under --fail-under 0\.9/);
    expect((await parley('eval', 'suite', file, '--fail-under', '0.5')).code).toBe(0);
  });

  it('catches a regression against the latest run after a document changes', async () => {
    const file = suiteFile('refunds', [
      {
        id: 'refund-days',
        question: 'How long until my refund reaches my card?',
        expect: { contains: ['5 business days'] },
      },
      { id: 'pairing', question: 'My earbuds will not pair', expect: { cites: ['pairing.md'] } },
    ]);
    const first = await parley('eval', 'suite', file, '--json', '--baseline', 'latest');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ passed: 2, regressions: [] });

    fs.writeFileSync(
      path.join(docs, 'policies/returns.md'),
      '# Returns and refunds\n\nYou can return any product within 30 days of delivery for a full refund. ' +
        'Refunds reach your card within 10 business days after the return arrives at our warehouse.\n',
    );
    await ingest();
    const second = await parley('eval', 'suite', file, '--json', '--baseline', 'latest');
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout) as SuiteJson;
    expect(report.regressions).toEqual(['refund-days']);
    expect(second.stderr).toMatch(/refund-days passed there and fail now/);

    // The text report says the same, naming the failing case and why.
    const text = await parley(
      'eval',
      'suite',
      file,
      '--baseline',
      (JSON.parse(first.stdout) as SuiteJson).run_id,
    );
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ refund-days: answer lacks "5 business days"/);
  });

  it('reports bad lines with their numbers', async () => {
    const file = suiteFile('broken', [
      { id: 'ok', question: 'Hi?', expect: { abstains: false } },
      '{oops',
      { id: 'typo', question: 'Hi?', expect: { contain: ['x'] } },
    ]);
    const result = await parley('eval', 'suite', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2: not valid JSON; line 3: expect: /);
  });
});
