/**
 * The server used by tests. The global setup (`postgres-setup.ts`) prepares it before any test file runs; each
 * file then creates (and drops) its own databases on it.
 */
export const testServerUrl =
  process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/parley_test';

/** What a look at the test server found. */
export type PostgresProbe =
  | { reachable: false; reason: string }
  | { reachable: true; vectorAvailable: boolean; databaseExists: boolean };

/** What this machine lets the test command do about a missing pgvector. */
export interface HostAbilities {
  /** Root on Debian (apt-get present) with the server on this machine, where `scripts/setup-postgres.sh` works. */
  canRunSetupScript: boolean;
}

/** The next step towards a test server the tests can use. */
export type PreparationStep =
  /** Create the database when missing, and the vector extension in it. */
  | { action: 'create'; database: boolean }
  | { action: 'run-setup-script' }
  | { action: 'fail'; message: string };

/**
 * Decides what the test command does about the Postgres server at `url`, given what a probe found: create what
 * is missing when it can, run the setup script when pgvector itself is missing and this machine allows it, and
 * otherwise fail with one line saying what to run.
 */
export function planTestDatabase(url: string, probe: PostgresProbe, host: HostAbilities): PreparationStep {
  const where = redact(url);
  if (!probe.reachable) {
    return {
      action: 'fail',
      message:
        `Tests need a Postgres server at ${where} (${probe.reason}): start one, run ` +
        '`sudo bash scripts/setup-postgres.sh` (Debian, PostgreSQL 15), or point TEST_DATABASE_URL at yours.',
    };
  }
  if (!probe.vectorAvailable) {
    if (host.canRunSetupScript) return { action: 'run-setup-script' };
    return {
      action: 'fail',
      message:
        `The Postgres server at ${where} lacks the pgvector extension: run ` +
        '`sudo bash scripts/setup-postgres.sh` (Debian, PostgreSQL 15) or install pgvector for that server.',
    };
  }
  // The extension is created on every run: cheap, and a database made by hand may lack it.
  return { action: 'create', database: !probe.databaseExists };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
