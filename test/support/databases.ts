import crypto from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { testServerUrl } from './postgres-plan.ts';

/** Every data-layer test runs on both backends. */
export const backends = ['pglite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

export { testServerUrl } from './postgres-plan.ts';

export interface TestDatabase extends Database {
  /** Closes the connection and, on the server, drops the throwaway database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database: an in-memory PGlite, or a new database on the test server (created from the
 * server URL, so tests never share state or touch real data).
 */
export async function createTestDatabase(
  backend: Backend,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (options.migrate !== false) await migrate(database.db);
    return { ...database, destroy: () => database.close() };
  }
  const name = `parley_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(testServerUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(
      `Cannot create a test database on ${testServerUrl} (${(error as Error).message}). ` +
        'Start the server and run `bash scripts/setup-postgres.sh`, or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 4 });
  if (options.migrate !== false) await migrate(database.db);
  return {
    ...database,
    destroy: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
