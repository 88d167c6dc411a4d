import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActiveChatModel } from '../src/agent/models/active-model.ts';
import { finetuneJobs } from '../src/db/schema/index.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ingestInputs } from '../src/knowledge/ingest.ts';
import type { QaPairView } from '../src/contracts/qa.ts';
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

// The Q&A and fine-tuning commands against a database on the test server (faster to open than PGlite).
describe('parley qa and parley finetune', () => {
  let database: TestDatabase;
  let url: string;
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
  const list = async (...args: string[]) =>
    JSON.parse((await parley('qa', 'list', '--json', ...args)).stdout) as QaPairView[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    url = database.location.replace(':***@', '@');
    const docs = writeTree({
      'guides/hub.md': `# Perch Hub Guide

## Resetting the hub

1. Hold the reset button for 10 seconds until the ring flashes amber.
2. Set the hub up again in the app.

## Updating the firmware

The hub updates itself at night. To update now, open the app and tap Settings > Firmware > Update.

## Cleaning the hub

Wipe the hub with a dry cloth. Do not use sprays or solvents on the ring or the vents.
`,
    });
    await ingestInputs({ db: database.db, embedder: new LocalEmbedder() }, [docs], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it('generates draft pairs from the documents and lists them', async () => {
    const generated = await parley('qa', 'generate', '--from', 'docs', '--json');
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.stdout)).toMatchObject({ created: 3, bySource: { document: 3 } });
    const drafts = await list('--status', 'draft');
    expect(drafts.map((p) => p.question).sort()).toEqual([
      'How do I clean the hub?',
      'How do I reset the hub?',
      'How do I update the firmware?',
    ]);
    const text = await parley('qa', 'list');
    expect(text.stdout).toMatch(/Q: How do I reset the hub\?\n {2}A: 1\. Hold the reset button/);
    expect(text.stdout).toMatch(/3 draft, 0 approved \(train 0, validation 0, test 0\), 0 rejected/);
    expect((await parley('qa', 'generate', '--from', 'docs')).stdout).toMatch(/^0 new draft pairs/);
  });

  it('approves, edits and rejects pairs', async () => {
    const [a, b] = await list('--status', 'draft');
    const approved = await parley('qa', 'approve', a!.id);
    expect(approved.stdout).toMatch(/^Approved \((train|validation|test) split\)\./);
    const edited = await parley('qa', 'edit', a!.id, '--answer', 'Call us on 312-555-0148 first.');
    expect(edited.stdout).toMatch(/A: Call us on \[PHONE_1\] first\./);
    expect((await parley('qa', 'reject', b!.id)).stdout).toBe('Rejected.\n');
    expect((await parley('qa', 'approve', '--all')).stdout).toBe('Approved 1 draft pair.\n');
    expect((await list('--status', 'approved')).map((p) => p.id)).toContain(a!.id);
    expect((await list('--status', 'rejected')).map((p) => p.id)).toEqual([b!.id]);
  });

  it('explains what is wrong with a command', async () => {
    const noId = await parley('qa', 'approve');
    expect(noId).toMatchObject({
      code: 1,
      stderr: 'parley: Give a pair id, or --all to approve every draft.\n',
    });
    const badSource = await parley('qa', 'generate', '--from', 'tickets');
    expect(badSource.code).toBe(1);
    expect(badSource.stderr).toMatch(/--from must be one of conversations, solutions, docs/);
    const unknown = await parley('qa', 'reject', crypto.randomUUID());
    expect(unknown.stderr).toMatch(/^parley: No Q&A pair /);
  });

  it('refuses to export fewer than 10 examples, and to start without an API key', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ft-'));
    const exported = await parley('finetune', 'export', '--out', out);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(
      /^parley: Fine-tuning needs at least 10 training examples; there are \d\./,
    );
    expect(fs.readdirSync(out)).toEqual([]);
    const started = await parley('finetune', 'start');
    expect(started).toMatchObject({
      code: 1,
      stderr: 'parley: finetune start needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server).\n',
    });
    const status = await parley('finetune', 'status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ jobs: [], activeModel: null });
  });

  it('promotes fine-tuned models and rolls back to the one each replaced', async () => {
    const jobs = await database.db
      .insert(finetuneJobs)
      .values(
        ['a', 'b'].map((name) => ({
          providerJobId: `ftjob-cli-${name}`,
          baseModel: 'gpt-4.1-mini',
          status: 'succeeded' as const,
          resultingModel: `ft:gpt-4.1-mini:acme::${name}`,
        })),
      )
      .returning();
    const first = await parley('finetune', 'promote', jobs[0]!.id, '--force');
    expect(first.stdout).toMatch(
      /^ft:gpt-4\.1-mini:acme::a is now the chat model \(was .* \(PARLEY_CHAT_MODEL\)\)/,
    );
    const second = await parley('finetune', 'promote', 'ftjob-cli-b', '--force');
    expect(second.stdout).toMatch(
      /^ft:gpt-4\.1-mini:acme::b is now the chat model \(was ft:gpt-4\.1-mini:acme::a\)/,
    );
    // Stored the way the console stores it (see src/server/learn-admin.test.ts).
    expect(await readActiveChatModel(database.db)).toMatchObject({
      model: 'ft:gpt-4.1-mini:acme::b',
      previous: 'ft:gpt-4.1-mini:acme::a',
    });

    const back = await parley('finetune', 'rollback');
    expect(back.stdout).toMatch(
      /^ft:gpt-4\.1-mini:acme::a is the chat model again \(was ft:gpt-4\.1-mini:acme::b\)/,
    );
    expect(await readActiveChatModel(database.db)).toMatchObject({
      model: 'ft:gpt-4.1-mini:acme::a',
      finetuneJobId: jobs[0]!.id,
    });
    expect((await parley('finetune', 'rollback')).stdout).toMatch(
      /\(PARLEY_CHAT_MODEL\) is the chat model again/,
    );
    expect(await readActiveChatModel(database.db)).toBeUndefined();
    expect(await parley('finetune', 'rollback')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^parley: No promoted chat model to roll back/),
    });
  });
});
