import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** One Drizzle type for both backends; transactions (`db.transaction`) have the same shape. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  backend: 'pglite' | 'postgres';
  /** Where the data lives: the PGlite data directory or the server URL without its password. */
  location: string;
  /** The embedded instance (PGlite backend), for libraries that need the client itself, such as pg-boss. */
  pglite?: PGlite;
  /** The server URL, password included (Postgres backend), for libraries that open their own connections. */
  url?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres server URL; when absent, embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir: string;
  /** Connections in the server pool. */
  poolSize?: number;
}

/** Opens the embedded PGlite database or a Postgres server connection pool. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir, extensions: { vector } });
  } catch (error) {
    release();
    throw error;
  }
  yieldBeforeQueries(client);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    backend: 'pglite',
    location: dataDir,
    pglite: client,
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * PGlite runs Postgres in WebAssembly on this thread and its queries settle as microtasks, so a chain of queries
 * never lets the event loop reach I/O: a server would neither send a streamed answer nor take a new request until
 * a whole turn was done. So the I/O phase gets to run before a query once a few milliseconds have passed since it
 * last did: answers stream and concurrent requests take turns, while bulk work (ingestion runs thousands of quick
 * queries) rarely pauses.
 */
function yieldBeforeQueries(client: PGlite, everyMs = 4): void {
  let last = performance.now();
  const maybeYield = async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  client.query = (async (...args: Parameters<typeof query>) => {
    await maybeYield();
    return query(...args);
  }) as typeof client.query;
  client.exec = (async (...args: Parameters<typeof exec>) => {
    await maybeYield();
    return exec(...args);
  }) as typeof client.exec;
}

export class DataDirInUse extends Error {}

const lockedHere = new Set<string>();

/**
 * An embedded database may be open in one process only: two would write the same files and corrupt them. A
 * lock file holds the owner's pid; a lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'parley.lock');
  if (lockedHere.has(file)) {
    throw new DataDirInUse(`The embedded database in ${dataDir} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      lockedHere.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        lockedHere.delete(file);
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      // Our own pid in a lock we do not hold is stale: containers reuse pids across restarts.
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new DataDirInUse(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running \`parley serve\` or ` +
            'worker?). Stop it first, or use a Postgres server (DATABASE_URL) to share one database.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataDirInUse(`Could not lock the embedded database in ${dataDir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const parsed = new URL(url);
  // Transaction poolers (Supabase port 6543, PgBouncer) cannot keep prepared statements.
  const pooled = parsed.port === '6543' || parsed.searchParams.get('pgbouncer') === 'true';
  parsed.searchParams.delete('pgbouncer');
  const client = postgres(parsed.toString(), { max, prepare: !pooled, onnotice: () => {} });
  const fullUrl = parsed.toString();
  parsed.password = parsed.password ? '***' : '';
  return {
    db: drizzlePostgres(client, { schema }) as unknown as Db,
    backend: 'postgres',
    location: parsed.toString(),
    url: fullUrl,
    close: () => client.end({ timeout: 5 }),
  };
}

/** Runs raw SQL and returns its rows, whichever backend (PGlite returns `{rows}`, postgres.js an array). */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
