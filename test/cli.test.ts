import crypto from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { writeTree } from './support/files.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/parley.js');

/** The environment without anything that would point the command elsewhere. */
function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
}

/** Runs the real `parley` command; resolves with its exit code and output instead of throwing. */
async function parley(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...cleanEnv(), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const corpus = {
  'corpus/returns.md': '# Returns\n\nYou can return any product within 30 days of delivery for a refund.',
  'corpus/pairing.md': '# Pairing\n\nHold the case button for three seconds to pair the earbuds.',
  'corpus/hub.md': '# Hub lights\n\nA red ring light means the hub has no Wi-Fi connection.',
  'queries.jsonl': [
    { id: '1', query: 'how do I pair my earbuds', relevant: ['pairing.md'] },
    { id: '2', query: 'red light on the hub', relevant: ['hub.md'] },
  ]
    .map((q) => JSON.stringify(q))
    .join('\n'),
};

describe('the parley command on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
  const set = writeTree(corpus);

  it('ingests, exits 1 when a file fails, and reports which', async () => {
    const bad = writeTree({ 'broken.pdf': 'not a pdf', 'fine.md': '# Fine\n\nWarranty lasts two years.' });
    const result = await parley(['ingest', path.join(set, 'corpus'), bad, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.pdf: not a PDF file/);
    expect(result.stderr).toMatch(/5 sources: 4 new, .* 1 failed/);
  });

  it('prints search results as JSON in the documented shape', async () => {
    const result = await parley(['search', 'pair earbuds', '--limit', '2', '--json', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    const hits = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(hits.length).toBeGreaterThan(0);
    expect(Object.keys(hits[0]!)).toEqual([
      'source',
      'documentId',
      'versionId',
      'chunkId',
      'heading',
      'score',
      'text',
    ]);
    expect(hits[0]!.source).toBe(path.join(set, 'corpus/pairing.md'));
  });

  it('lists, diffs and rolls back document versions', async () => {
    fs.writeFileSync(
      path.join(set, 'corpus/returns.md'),
      '# Returns\n\nYou can return any product within 60 days.',
    );
    expect((await parley(['ingest', path.join(set, 'corpus/returns.md'), '--data-dir', dataDir])).code).toBe(
      0,
    );
    const versions = await parley(['docs', 'versions', 'returns.md', '--data-dir', dataDir]);
    expect(versions.stdout).toMatch(/\* v2 [\s\S]* {2}v1 /);
    const diff = await parley(['docs', 'diff', 'returns.md', '1', '2', '--data-dir', dataDir]);
    expect(diff.stdout).toContain('+You can return any product within 60 days.');
    const rollback = await parley(['docs', 'rollback', 'returns.md', '1', '--data-dir', dataDir]);
    expect(rollback.stdout).toMatch(/Version 1 .* is current again/);
    const bad = await parley(['docs', 'rollback', 'returns.md', '9', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/has no version 9/);
  });

  it('evaluates retrieval, printing exactly the documented keys and writing per-query details', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-eval-'));
    const details = path.join(dir, 'details.jsonl');
    const result = await parley([
      'eval',
      'retrieval',
      set,
      '--json',
      '--data-dir',
      dir,
      '--details',
      details,
    ]);
    expect(result.code).toBe(0);
    const metrics = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(metrics)).toEqual([
      'n',
      'recall_at_1',
      'recall_at_5',
      'recall_at_10',
      'mrr_at_10',
      'ms_per_query',
    ]);
    expect(metrics.n).toBe(2);
    expect(metrics.recall_at_5).toBe(1);
    const lines = fs
      .readFileSync(details, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0])).toEqual(['id', 'query', 'ranks', 'first', 'top']);
  });

  it('asks the agent and prints the documented JSON', async () => {
    const result = await parley(['ask', 'How do I pair my earbuds?', '--json', '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as Record<string, unknown> & { citations: { source: string }[] };
    expect(Object.keys(answer)).toEqual([
      'answer',
      'citations',
      'toolCalls',
      'escalated',
      'conversationId',
      'outcome',
      'model',
      'offline',
    ]);
    expect(answer).toMatchObject({
      escalated: false,
      model: 'parley-offline',
      offline: true,
      toolCalls: [{ name: 'search_knowledge' }],
    });
    expect(answer.citations[0]!.source).toBe(path.join(set, 'corpus/pairing.md'));
    expect(answer.answer).toMatch(/three seconds/);
  });

  it('resolves a conversation with a note, which becomes the suggested solution', async () => {
    const asked = await parley(['ask', 'How do I pair my earbuds?', '--json', '--data-dir', dataDir]);
    const { conversationId } = JSON.parse(asked.stdout) as { conversationId: string };
    const note = 'Holding the case button for three seconds put the buds in pairing mode.';
    const resolved = await parley([
      'conversations',
      'resolve',
      conversationId,
      '--note',
      note,
      '--data-dir',
      dataDir,
    ]);
    expect(resolved).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Resolved\. Suggested solution/),
    });
    const solutions = await parley(['solutions', 'list', '--json', '--data-dir', dataDir]);
    expect(solutions.stdout).toContain('put the buds in pairing mode');
    const unknown = await parley(['conversations', 'resolve', crypto.randomUUID(), '--data-dir', dataDir]);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/No conversation/) });
  });

  it('chats in the terminal, streaming answers with their sources', async () => {
    const child = spawn(process.execPath, [bin, 'chat', '--data-dir', dataDir], { env: cleanEnv() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end('How do I pair my earbuds?\n/exit\n');
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/offline model/);
    expect(out).toMatch(/parley › [\s\S]*three seconds/);
    expect(out).toMatch(/Sources:\n {2}\[1\] .*pairing\.md/);
  });

  it('refuses an invalid environment with a clear message', async () => {
    const result = await parley(['docs', 'list'], { DATABASE_URL: 'nonsense' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid environment:[\s\S]*DATABASE_URL/);
  });
});

describe('the parley command on the Postgres server', () => {
  let database: TestDatabase;
  let url: string;
  beforeAll(async () => {
    database = await createTestDatabase('postgres', { migrate: false });
    url = database.location.replace(':***@', '@');
  });
  afterAll(() => database?.destroy());

  it('migrates, ingests and searches through DATABASE_URL', async () => {
    const migrate = await parley(['migrate'], { DATABASE_URL: url });
    expect(migrate.stdout).toMatch(/postgres .*schema up to date/);
    const dir = writeTree({
      'hub.md': '# Hub lights\n\nA red ring light means the hub has no Wi-Fi connection.',
    });
    expect((await parley(['ingest', dir], { DATABASE_URL: url })).code).toBe(0);
    const result = await parley(['search', 'red light', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(result.stdout)[0].source).toBe(path.join(dir, 'hub.md'));
  });
});
