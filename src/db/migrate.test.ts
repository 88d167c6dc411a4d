import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { queryRows } from './client.ts';
import { migrate, pendingMigrations, readMigrations } from './migrate.ts';

const expectedTables = [
  'agent_runs',
  'chunks',
  'conversation_notes',
  'conversations',
  'customer_preferences',
  'customer_products',
  'customers',
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
