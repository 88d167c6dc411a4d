import { sql } from 'drizzle-orm';
import type { Readiness } from '../contracts/health.ts';
import type { Db } from '../db/client.ts';
import { pendingMigrations } from '../db/migrate.ts';

/**
 * Whether this process may take traffic: the database answers and every migration is applied. An unreachable
 * database is an answer here ("not ready"), not an error, since that is what a readiness probe asks about.
 */
export async function checkReadiness(db: Db, version: string): Promise<Readiness> {
  try {
    await db.execute(sql`SELECT 1`);
    const pending = await pendingMigrations(db);
    return {
      status: pending.length === 0 ? 'ready' : 'not_ready',
      database: 'reachable',
      pendingMigrations: pending,
      version,
    };
  } catch {
    return { status: 'not_ready', database: 'unreachable', pendingMigrations: [], version };
  }
}
