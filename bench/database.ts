import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';

export const backends = ['pglite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

/** Maintenance database on the benchmark server; bench databases are created and dropped beside it. */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase extends Database {
  /** Closes the connection and deletes the data (PGlite folder or server database). */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database: PGlite in a new folder under the temp dir (on disk, as Parley runs), or a new
 * database `parley_bench_<name>` on the server, replacing any left over by an interrupted run.
 */
export async function createBenchDatabase(backend: Backend, name: string): Promise<BenchDatabase> {
  if (backend === 'pglite') {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `parley-bench-${name}-`));
    const database = await openDatabase({ dataDir });
    await migrate(database.db);
    return {
      ...database,
      destroy: async () => {
        await database.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const dbName = `parley_bench_${name}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 4 });
  await migrate(database.db);
  return {
    ...database,
    destroy: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Parses `--backend pglite|postgres|both` (default both). */
export function selectedBackends(arg: string | undefined): Backend[] {
  if (!arg || arg === 'both') return [...backends];
  if (arg === 'pglite' || arg === 'postgres') return [arg];
  throw new Error(`--backend must be pglite, postgres or both, not ${arg}`);
}
