import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { queryRows } from './client.ts';
import { versionText } from '../knowledge/version-text.ts';
import { migrate, pendingMigrations, readMigrations } from './migrate.ts';

const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

const expectedTables = [
  'agent_runs',
  'chunks',
  'conversation_notes',
  'conversations',
  'customer_preferences',
  'customer_products',
  'customers',
  'document_version_texts',
  'document_versions',
  'documents',
  'errors',
  'eval_case_results',
  'eval_runs',
  'eval_suites',
  'feedback',
  'finetune_jobs',
  'messages',
  'order_items',
  'orders',
  'parley_migrations',
  'products',
  'qa_pairs',
  'settings',
  'solutions',
  'sources',
  'staff_tokens',
];

describe.each(backends)('migrations on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend, { migrate: false });
  });
  afterAll(() => database?.destroy());

  it('applies every migration once, then nothing', async () => {
    expect(await pendingMigrations(database.db)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(database.db)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(database.db)).toEqual([]);
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it('creates the whole data model with pgvector', async () => {
    const tables = await queryRows<{ relname: string }>(
      database.db,
      sql`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`,
    );
    expect(tables.map((t) => t.relname)).toEqual(expectedTables);
    const [ext] = await queryRows<{ extname: string }>(
      database.db,
      sql`SELECT extname FROM pg_extension WHERE extname = 'vector'`,
    );
    expect(ext?.extname).toBe('vector');
  });

  it('enables row level security on every table, with no policies', async () => {
    const rows = await queryRows<{ relname: string; relrowsecurity: boolean }>(
      database.db,
      sql`SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
    );
    expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
    const policies = await queryRows(database.db, sql`SELECT * FROM pg_policies WHERE schemaname = 'public'`);
    expect(policies).toEqual([]);
  });
});

describe.each(backends)('moving version texts into parts on %s (0006)', (backend) => {
  let database: TestDatabase;
  const before = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-migrations-'));
  beforeAll(async () => {
    database = await createTestDatabase(backend, { migrate: false });
    for (const name of readMigrations().map((m) => m.name)) {
      if (name >= '0006') break;
      fs.copyFileSync(path.join(migrationsDir, `${name}.sql`), path.join(before, `${name}.sql`));
    }
    await migrate(database.db, before);
  });
  afterAll(async () => {
    await database?.destroy();
    fs.rmSync(before, { recursive: true, force: true });
  });

  it('moves each existing text into parts, exactly, and drops the column', async () => {
    // Longer than two parts, astral characters where parts end: Postgres cuts at characters, not UTF-16 units.
    const long = `# Manual\n\n${'é😀'.repeat(40_000)}\n${'a'.repeat(65_535)}😀 the end.`;
    const texts = { long, empty: '', short: 'Pair the buds: hold the button 😀.' };
    for (const [source, text] of Object.entries(texts)) {
      await database.db.execute(sql`WITH d AS (
          INSERT INTO documents (source, title, format) VALUES (${source}, ${source}, 'markdown') RETURNING id)
        INSERT INTO document_versions (document_id, version, content_hash, title, text, embedding_model)
        SELECT id, 1, 'hash', ${source}, ${text}, 'local' FROM d`);
    }
    await migrate(database.db);
    for (const [source, text] of Object.entries(texts)) {
      const [row] = await queryRows<{ id: string }>(
        database.db,
        sql`SELECT v.id FROM document_versions v JOIN documents d ON d.id = v.document_id
            WHERE d.source = ${source}`,
      );
      expect(await versionText(database.db, row!.id)).toBe(text);
    }
    const parts = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM document_version_texts`,
    );
    expect(parts[0]!.n).toBe(Math.ceil([...long].length / 65_536) + 1);
    const column = await queryRows(
      database.db,
      sql`SELECT 1 FROM information_schema.columns WHERE table_name = 'document_versions' AND column_name = 'text'`,
    );
    expect(column).toEqual([]);
  });
});
