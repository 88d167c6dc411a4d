import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './client.ts';

const defaultDir = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface Migration {
  name: string;
  hash: string;
  statements: string[];
}

/** The names of the migrations in `dir`, in order, without reading them (readiness checks run this often). */
function migrationNames(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => f.replace(/\.sql$/, ''));
}

/** Reads `migrations/*.sql` in name order; drizzle-kit separates statements with a breakpoint marker. */
export function readMigrations(dir = defaultDir): Migration[] {
  return migrationNames(dir).map((name) => {
    const text = fs.readFileSync(path.join(dir, `${name}.sql`), 'utf8');
    return {
      name,
      hash: crypto.createHash('sha256').update(text).digest('hex'),
      statements: text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0),
    };
  });
}

/**
 * Applies pending migrations, each in its own transaction, recording them in `parley_migrations`.
 * The same SQL runs on PGlite, a Postgres server and Supabase. Concurrent callers serialise on an
 * advisory lock, so several replicas starting at once apply each migration once.
 */
export async function migrate(db: Db, dir = defaultDir): Promise<string[]> {
  const applied: string[] = [];
  // The common case, an up-to-date schema, costs one query and takes no lock.
  if ((await pendingMigrations(db, dir)).length === 0) return applied;
  await db.execute(sql`CREATE TABLE IF NOT EXISTS parley_migrations (
    name text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await db.execute(sql`ALTER TABLE parley_migrations ENABLE ROW LEVEL SECURITY`);
  for (const migration of readMigrations(dir)) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(7234611)`);
      const done = await queryRows(tx, sql`SELECT 1 FROM parley_migrations WHERE name = ${migration.name}`);
      if (done.length > 0) return;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`INSERT INTO parley_migrations (name, hash) VALUES (${migration.name}, ${migration.hash})`,
      );
      applied.push(migration.name);
    });
  }
  return applied;
}

/** Names of migrations not yet applied (for readiness checks). */
export async function pendingMigrations(db: Db, dir = defaultDir): Promise<string[]> {
  const exists = await queryRows<{ t: string | null }>(
    db,
    sql`SELECT to_regclass('parley_migrations')::text AS t`,
  );
  const known = migrationNames(dir);
  if (!exists[0]?.t) return known;
  const done = new Set(
    (await queryRows<{ name: string }>(db, sql`SELECT name FROM parley_migrations`)).map((r) => r.name),
  );
  return known.filter((n) => !done.has(n));
}
