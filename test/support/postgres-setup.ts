import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { type HostAbilities, planTestDatabase, type PostgresProbe, testServerUrl } from './postgres-plan.ts';

const setupScript = path.resolve(import.meta.dirname, '../../scripts/setup-postgres.sh');

/**
 * Vitest global setup: makes the test server usable before any test file runs, so `npm test` works on a fresh
 * machine. It creates the test database and the vector extension when missing, builds pgvector through
 * `scripts/setup-postgres.sh` where it can, and otherwise stops the run with one line saying what to do.
 */
export default async function setup(): Promise<void> {
  let canRunSetupScript = hostAbilities(testServerUrl).canRunSetupScript;
  for (;;) {
    const step = planTestDatabase(testServerUrl, await probe(testServerUrl), { canRunSetupScript });
    switch (step.action) {
      case 'fail':
        return stop(step.message);
      case 'run-setup-script': {
        console.log(`pgvector is missing on ${new URL(testServerUrl).host}: running ${setupScript}`);
        const result = spawnSync('bash', [setupScript], { stdio: 'inherit' });
        if (result.status !== 0) {
          return stop(`${setupScript} failed (exit ${result.status}); see its output above.`);
        }
        // Probe again, without a second attempt at the script.
        canRunSetupScript = false;
        continue;
      }
      case 'create':
        await create(testServerUrl, step.database);
        return;
    }
  }
}

/** What the server has; any connection failure counts as unreachable, with the driver's reason. */
async function probe(url: string): Promise<PostgresProbe> {
  const name = databaseName(url);
  const sql = postgres(maintenanceUrl(url), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ vector: boolean; exists: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS vector,
             EXISTS (SELECT 1 FROM pg_database WHERE datname = ${name}) AS exists`;
    return { reachable: true, vectorAvailable: row!.vector, databaseExists: row!.exists };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { reachable: false, reason: [e.code, e.message].filter(Boolean).join(': ') || String(error) };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function create(url: string, database: boolean): Promise<void> {
  if (database) {
    const admin = postgres(maintenanceUrl(url), { max: 1, onnotice: () => {} });
    try {
      // Identifiers cannot be bound as parameters; quote the name the way Postgres does.
      await admin.unsafe(`CREATE DATABASE "${databaseName(url).replaceAll('"', '""')}"`);
    } catch (error) {
      // Another run may have created it in the meantime.
      if ((error as { code?: string }).code !== '42P04') throw error;
    } finally {
      await admin.end();
    }
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`;
  } finally {
    await sql.end();
  }
}

function hostAbilities(url: string): HostAbilities {
  const { hostname, port } = new URL(url);
  // The script sets up the local PostgreSQL 15 on the default port, with apt and make: root on Debian only.
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname) && (port || '5432') === '5432';
  return {
    canRunSetupScript: local && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get'),
  };
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** The same server's `postgres` database, which exists whether or not the test database does. */
function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * Ends the run with the one line that says what to do. Thrown, the error would come after vitest's "No test files
 * found" and inside its error banner.
 */
function stop(message: string): never {
  console.error(`Tests cannot start. ${message}`);
  process.exit(1);
}
