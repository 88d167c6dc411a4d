import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../src/db/client.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The machine and the code a run measured. `src/` is edited while benchmarks run, so besides the commit this
 * records which source files differ from it and a hash of the whole of `src/` as loaded.
 */
export function describeEnvironment() {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const pglite = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string };
  return {
    date: new Date().toISOString(),
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    pglite: pglite.version,
    commit: git('rev-parse', '--short', 'HEAD'),
    changedSources: git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean),
    srcHash: hashTree(path.join(root, 'src')),
  };
}

function hashTree(dir: string): string {
  const hash = crypto.createHash('sha256');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Postgres and pgvector versions of an open database. */
export async function databaseVersions(db: Db): Promise<{ postgres: string; pgvector: string }> {
  const [row] = await queryRows<{ postgres: string; pgvector: string }>(
    db,
    sql`SELECT current_setting('server_version') AS postgres,
          (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`,
  );
  return row!;
}
