import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { seedDemo } from '../../cli/seed.ts';
import { loadConfig } from '../../config.ts';
import { type Db, queryRows } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import { LocalEmbedder } from '../../knowledge/embed/index.ts';
import { searchKnowledge } from '../../knowledge/search.ts';
import { BackupError, type BackupProblem, createBackup, type Manifest, restoreBackup } from './backup.ts';
import { TableDigest } from './tables.ts';

const embedder = new LocalEmbedder();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-'));
const file = (name: string) => path.join(dir, name);

/** Runs the real `parley` command on the embedded database; resolves with its exit code and output. */
async function parley(...args: string[]) {
  const bin = path.resolve(import.meta.dirname, '../../../bin/parley.js');
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR'].includes(k),
    ),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

/** Each table's row count and checksum: what must survive a round trip. */
const sums = (m: Manifest) =>
  Object.fromEntries(m.tables.map((t) => [t.name, { rows: t.rows, sha256: t.sha256 }]));

/** Values whose text forms are easy to get wrong: microseconds, long numerics, escapes, unicode, nulls. */
async function addAwkwardRows(db: Db): Promise<void> {
  const [customer] = await db.select().from(schema.customers).limit(1);
  const [conversation] = await db
    .insert(schema.conversations)
    .values({
      customerId: customer!.id,
      title: 'Tabs\tand "quotes" \\ and\nnewlines',
      metadata: { ü: [1.5, null] },
    })
    .returning();
  const [message] = await db
    .insert(schema.messages)
    .values({
      conversationId: conversation!.id,
      role: 'assistant',
      content: 'Emoji 😀, a line separator \u2028 and a NUL-free control \u0001.',
      // A JSON number beyond double precision: only a text round trip keeps it exact.
      parts: sql`'[{"type": "text", "text": "ünïcödé", "n": 12345678901234567890.000001}]'::jsonb`,
      createdAt: sql`'2024-02-29 23:59:59.123456+00'::timestamptz`,
    })
    .returning();
  await db.insert(schema.agentRuns).values({
    conversationId: conversation!.id,
    messageId: message!.id,
    model: 'offline',
    costUsd: sql`123456.654321::numeric`,
    outcome: 'answered',
  });
  await db
    .insert(schema.feedback)
    .values({ conversationId: conversation!.id, messageId: message!.id, rating: -1 });
  const [vector] = await embedder.embed(['earbuds will not pair']);
  await db.insert(schema.solutions).values([
    {
      problem: 'Earbuds will not pair',
      resolution: 'Reset the case.',
      status: 'approved',
      embedding: vector!,
    },
    { problem: 'No embedding yet', resolution: 'Pending review.', conversationId: conversation!.id },
  ]);
  await db.insert(schema.staffTokens).values({ name: 'ops', tokenHash: 'a'.repeat(64), prefix: 'pk_1234' });
  await db
    .insert(schema.errors)
    .values({ fingerprint: 'f1', message: 'boom', context: { big: '9007199254740993' } });
}

async function rowCount(db: Db, table: typeof schema.customers | typeof schema.chunks): Promise<number> {
  return (await db.select({ n: count() }).from(table))[0]!.n;
}

async function expectRefusal(promise: Promise<unknown>, code: BackupProblem, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).code).toBe(code);
  expect((error as BackupError).message).toMatch(message);
}

/** Whether a never-migrated database is still untouched. */
async function untouched(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ t: string | null }>(
    db,
    sql`SELECT to_regclass('parley_migrations')::text AS t`,
  );
  return row!.t === null;
}

/** Rewrites an archive's lines with `edit`, then recomputes checksums so only the database can tell. */
function rewriteArchive(from: string, to: string, edit: (line: string) => string): void {
  const lines = zlib.gunzipSync(fs.readFileSync(from)).toString('utf8').trimEnd().split('\n').map(edit);
  const digests: Record<string, TableDigest> = {};
  let current = '';
  for (const line of lines.slice(1, -1)) {
    if (line.startsWith('[')) digests[current]!.add(line);
    else digests[(current = (JSON.parse(line) as { table: string }).table)] = new TableDigest();
  }
  const tables = Object.fromEntries(Object.entries(digests).map(([name, d]) => [name, d.result()]));
  lines[lines.length - 1] = JSON.stringify({ end: { tables } });
  fs.writeFileSync(to, zlib.gzipSync(`${lines.join('\n')}\n`));
}

/**
 * Rewrites a current archive as Parley wrote it before migration 0006: each version's text in a
 * `document_versions.text` column (after `title`), no `document_version_texts` table, no 0006 in the ledger.
 */
function archiveBefore0006(from: string, to: string): void {
  const lines = zlib.gunzipSync(fs.readFileSync(from)).toString('utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!) as Manifest;
  const columnsOf = (name: string) => header.tables.find((t) => t.name === name)!.columns.map((c) => c.name);
  const versionColumns = columnsOf('document_versions');
  const [textsColumns, ledgerColumns] = [columnsOf('document_version_texts'), columnsOf('parley_migrations')];
  const titleAt = versionColumns.indexOf('title');
  const texts = new Map<string, string>();
  let table = '';
  for (const line of lines.slice(1, -1)) {
    if (!line.startsWith('[')) table = (JSON.parse(line) as { table: string }).table;
    else if (table === 'document_version_texts') {
      const row = JSON.parse(line) as string[];
      const id = row[textsColumns.indexOf('version_id')]!;
      texts.set(id, (texts.get(id) ?? '') + row[textsColumns.indexOf('text')]!);
    }
  }
  header.migrations = header.migrations.filter((m) => m !== '0006_version_texts');
  header.tables = header.tables.filter((t) => t.name !== 'document_version_texts');
  header.tables
    .find((t) => t.name === 'document_versions')!
    .columns.splice(titleAt + 1, 0, { name: 'text', type: 'text' });
  const out = [JSON.stringify(header)];
  for (const line of lines.slice(1, -1)) {
    if (!line.startsWith('[')) table = (JSON.parse(line) as { table: string }).table;
    if (table === 'document_version_texts') continue;
    const row = line.startsWith('[') ? (JSON.parse(line) as string[]) : undefined;
    if (row && table === 'document_versions') {
      row.splice(titleAt + 1, 0, texts.get(row[versionColumns.indexOf('id')]!) ?? '');
      out.push(JSON.stringify(row));
    } else if (
      row &&
      table === 'parley_migrations' &&
      row[ledgerColumns.indexOf('name')] === '0006_version_texts'
    ) {
      continue;
    } else out.push(line);
  }
  out.push(lines.at(-1)!);
  fs.writeFileSync(to, zlib.gzipSync(`${out.join('\n')}\n`));
  rewriteArchive(to, to, (line) => line);
}

describe('backup and restore', () => {
  let source: TestDatabase;
  let original: Manifest;
  let queries: string[][];
  const targets: TestDatabase[] = [];
  const target = async (...args: Parameters<typeof createTestDatabase>) => {
    const database = await createTestDatabase(...args);
    targets.push(database);
    return database;
  };
  const topHits = async (db: Db) =>
    Promise.all(
      ['my earbuds will not pair', 'how long is the warranty', 'the hub is offline and the light is red'].map(
        async (q) => (await searchKnowledge({ db, embedder }, q, { limit: 5 })).map((h) => h.chunkId),
      ),
    );

  beforeAll(async () => {
    source = await createTestDatabase('pglite');
    const { ingest } = await seedDemo({ config: loadConfig({}, {}), database: source, embedder });
    expect(ingest.failed).toBe(0);
    await addAwkwardRows(source.db);
    original = (await createBackup(source, file('pglite.jsonl.gz'))).manifest;
    queries = await topHits(source.db);
  });
  afterAll(async () => {
    await Promise.all([source, ...targets].map((d) => d?.destroy()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a manifest of every table with counts and checksums', () => {
    expect(original.format).toBe('parley-backup');
    expect(original.migrations.length).toBeGreaterThan(0);
    expect(original.embedding).toEqual({ model: embedder.model, dimensions: embedder.dimensions });
    const names = original.tables.map((t) => t.name);
    expect(names).toContain('parley_migrations');
    expect(names.indexOf('documents')).toBeLessThan(names.indexOf('document_versions'));
    expect(names.indexOf('document_versions')).toBeLessThan(names.indexOf('chunks'));
    const chunks = original.tables.find((t) => t.name === 'chunks')!;
    expect(chunks.rows).toBeGreaterThan(50);
    expect(chunks.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file('pglite.jsonl.gz')).mode & 0o777).toBe(0o600);
  });

  it('round-trips PGlite → server → PGlite exactly, and search works on each copy', async () => {
    const server = await target('postgres', { migrate: false });
    const restored = await restoreBackup(server.db, file('pglite.jsonl.gz'));
    expect(restored.vectorIndex).toBe(true);
    const fromServer = (await createBackup(server, file('server.jsonl.gz'))).manifest;
    expect(fromServer.source.backend).toBe('postgres');
    expect(sums(fromServer)).toEqual(sums(original));
    expect(await topHits(server.db)).toEqual(queries);

    const pglite = await target('pglite', { migrate: false });
    await restoreBackup(pglite.db, file('server.jsonl.gz'));
    expect(sums((await createBackup(pglite, file('again.jsonl.gz'))).manifest)).toEqual(sums(original));
    expect(await topHits(pglite.db)).toEqual(queries);
    const [index] = await queryRows(
      pglite.db,
      sql`SELECT 1 FROM pg_indexes WHERE indexname = 'chunks_embedding_hnsw'`,
    );
    expect(index).toBeDefined();
  });

  it('refuses corrupted, truncated, foreign and newer archives, leaving the target untouched', async () => {
    const bytes = fs.readFileSync(file('pglite.jsonl.gz'));
    const flipped = Buffer.from(bytes);
    for (let i = 0; i < 4; i++) flipped[Math.floor(bytes.length / 2) + i]! ^= 0xff;
    fs.writeFileSync(file('flipped.gz'), flipped);
    fs.writeFileSync(file('truncated.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    fs.writeFileSync(file('notes.txt'), 'just some notes\n');
    fs.writeFileSync(file('other.gz'), zlib.gzipSync('{"hello":"world"}\n'));
    rewriteArchive(file('pglite.jsonl.gz'), file('newer.gz'), (line) =>
      line.startsWith('{"format"') ? line.replace('"version":1', '"version":2') : line,
    );
    const empty = await target('pglite', { migrate: false });
    const cases: [string, BackupProblem, RegExp][] = [
      ['flipped.gz', 'corrupt', /flipped\.gz is corrupted/],
      ['truncated.gz', 'truncated', /truncated\.gz is truncated/],
      ['notes.txt', 'not-an-archive', /not a Parley backup/],
      ['other.gz', 'not-an-archive', /not a Parley backup/],
      ['newer.gz', 'newer-version', /format version 2, newer than this Parley reads \(1\)/],
      ['missing.gz', 'unreadable', /cannot read/],
    ];
    for (const [name, code, message] of cases) {
      await expectRefusal(restoreBackup(empty.db, file(name)), code, message);
    }
    expect(await untouched(empty.db)).toBe(true);
  });

  it('rolls everything back when a restored table does not match its checksum', async () => {
    // numeric(12,2) rounds 279.994 to 279.99: the archive is self-consistent, the database is not.
    rewriteArchive(file('pglite.jsonl.gz'), file('rounded.gz'), (line) =>
      line.replace(/"(\d+\.\d\d)"/, (_, price: string) => `"${price}4"`),
    );
    const server = await target('postgres');
    await expectRefusal(
      restoreBackup(server.db, file('rounded.gz')),
      'mismatch',
      /does not match the archive/,
    );
    expect(await rowCount(server.db, schema.customers)).toBe(0);
    expect(await rowCount(server.db, schema.chunks)).toBe(0);
  });

  it('refuses a database that is not empty unless forced, then replaces its data', async () => {
    const busy = await target('postgres');
    await seedDemo({ config: loadConfig({}, {}), database: busy, embedder });
    await busy.db
      .insert(schema.staffTokens)
      .values({ name: 'extra', tokenHash: 'b'.repeat(64), prefix: 'pk_9' });
    const before = sums((await createBackup(busy, file('busy.jsonl.gz'))).manifest);
    await expectRefusal(
      restoreBackup(busy.db, file('pglite.jsonl.gz')),
      'not-empty',
      /not empty \(customers: \d+ rows/,
    );
    expect(sums((await createBackup(busy, file('busy.jsonl.gz'))).manifest)).toEqual(before);

    const report = await restoreBackup(busy.db, file('pglite.jsonl.gz'), { force: true });
    expect(report.replaced).toBe(true);
    expect(sums((await createBackup(busy, file('forced.jsonl.gz'))).manifest)).toEqual(sums(original));
    expect(await topHits(busy.db)).toEqual(queries);
  });

  it('restores an archive made before version texts were stored in parts (0006), on both backends', async () => {
    archiveBefore0006(file('pglite.jsonl.gz'), file('before-0006.jsonl.gz'));
    const withParts = original.tables.find((t) => t.name === 'document_version_texts')!;
    expect(withParts.rows).toBeGreaterThan(0);
    for (const backend of ['pglite', 'postgres'] as const) {
      const restored = await target(backend, { migrate: false });
      const report = await restoreBackup(restored.db, file('before-0006.jsonl.gz'));
      expect(report.manifest.migrations).not.toContain('0006_version_texts');
      // Backed up again, it holds what the current schema made (the demo's texts are one part each); only the
      // ledger differs, whose 0006 row is the restore's own.
      const again = (await createBackup(restored, file(`after-0006-${backend}.jsonl.gz`))).manifest;
      const data = (m: Manifest) => ({ ...sums(m), parley_migrations: undefined });
      expect(data(again)).toEqual(data(original));
      expect(again.migrations).toContain('0006_version_texts');
      expect(await topHits(restored.db)).toEqual(queries);
    }
  });

  it('runs as `parley backup` and `parley restore`', async () => {
    const dataDir = file('cli-data');
    const restored = await parley('restore', file('pglite.jsonl.gz'), '--data-dir', dataDir);
    expect(restored.stdout).toMatch(/Restored .* into pglite; every table's count and checksum match/);
    expect(restored.code).toBe(0);

    const again = await parley('restore', file('pglite.jsonl.gz'), '--data-dir', dataDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/parley: the database is not empty .* or --force/);

    const corrupt = await parley('restore', file('flipped.gz'), '--data-dir', file('never-created'));
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/flipped\.gz is corrupted/);
    expect(fs.existsSync(file('never-created'))).toBe(false);

    const backup = await parley('backup', file('cli.jsonl.gz'), '--json', '--data-dir', dataDir);
    expect(backup.code).toBe(0);
    expect(sums(JSON.parse(backup.stdout) as Manifest)).toEqual(sums(original));
  }, 180_000);
});
