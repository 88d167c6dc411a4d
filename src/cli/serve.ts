import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { count } from 'drizzle-orm';
import { documents, staffTokens } from '../db/schema/index.ts';
import { recordError } from '../ops/error-tracking.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { createStaffToken } from '../support/staff-tokens.ts';
import { openQueue } from '../jobs/queue.ts';
import { startWorker } from '../jobs/worker.ts';
import { createServices, defaultWebDir, startServer } from '../server/serve.ts';
import { positiveInt } from './search.ts';
import { dataDirOption, ingestSettings, type Runtime, withRuntime } from './runtime.ts';
import { examplesDir, seedDemo } from './seed.ts';

const webSourceDir = fileURLToPath(new URL('../../web', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app (chat page, widget, console) when its build is missing or older than its sources. */
export function buildWebIfNeeded(log: (line: string) => void = console.error): void {
  if (!fs.existsSync(webSourceDir)) return;
  const built = path.join(defaultWebDir, 'index.html');
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(webSourceDir)) return;
  log('Building the web app (chat page, widget, console) …');
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(webSourceDir, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('Building the web app failed (see above).');
}

async function seedIfEmpty(rt: Runtime): Promise<void> {
  const [row] = await rt.database.db.select({ n: count() }).from(documents);
  if ((row?.n ?? 0) > 0) return;
  console.error(`First run: seeding the demo company from ${examplesDir} …`);
  const { ingest } = await seedDemo(rt);
  console.error(`Indexed ${ingest.results.length} documents (${ingest.chunks} chunks).`);
}

/**
 * How staff sign in to the console. On a database without any staff token (and no PARLEY_ADMIN_TOKEN), a first
 * token is created and printed once, so a fresh install can be used at once.
 */
async function signInHint(rt: Runtime): Promise<string> {
  if (rt.config.server.adminToken) return 'sign in with PARLEY_ADMIN_TOKEN';
  const [row] = await rt.database.db.select({ n: count() }).from(staffTokens);
  if ((row?.n ?? 0) > 0)
    return 'sign in with a staff token (`parley admin create-token --name you` makes one)';
  const { token } = await createStaffToken(rt.database.db, 'first run');
  return `sign in with this token, shown only once: ${token}`;
}

/**
 * Background jobs in the server's own process: the default on the embedded database, which only one process
 * can open (so a separate `parley worker` could not run beside the server); opt-in on a Postgres server.
 */
async function startInProcessWorker(rt: Runtime, log: (line: string) => void) {
  const queue = await openQueue(rt.database, {
    role: 'worker',
    maxConnections: 4,
    superviseIntervalSeconds: 30,
    onError: (error) => log(`queue error: ${error.message}`),
  });
  await startWorker(
    {
      db: rt.database.db,
      embedder: rt.embedder,
      queue,
      settings: ingestSettings(rt.config),
      log,
      config: rt.config,
    },
    { concurrency: 1 },
  );
  return queue;
}

/** Serves until SIGINT/SIGTERM, then shuts down gracefully. */
async function serveUntilSignal(
  rt: Runtime,
  opts: { port?: number; host?: string; worker?: boolean },
): Promise<void> {
  const services = await createServices(rt.config, rt.database, rt.embedder);
  const withWorker = opts.worker ?? rt.database.backend === 'pglite';
  // Without an in-process worker the server still enqueues jobs (Q&A generation) for `parley worker`.
  const queue = withWorker
    ? await startInProcessWorker(rt, (line) => services.log.info('job', { line }))
    : await openQueue(rt.database, { role: 'producer' });
  services.queue = queue;
  const server = await startServer(services, {
    port: opts.port ?? rt.config.server.port,
    host: opts.host ?? rt.config.server.host,
  });
  const signIn = await signInHint(rt);
  console.error(`
Parley is serving ${rt.database.backend === 'pglite' ? `the embedded database in ${rt.database.location}` : rt.database.location}
  model:    ${services.agent.chat.id}${services.agent.chat.offline ? ' (offline answer model: set OPENAI_API_KEY for an LLM)' : ''}
  chat:     ${server.url}/
  console:  ${server.url}/admin  (${signIn})
  API docs: ${server.url}/docs
  jobs:     ${withWorker ? 'run in this process' : 'run by `parley worker` processes'}
  widget:   <script src="${server.url}/widget.js" defer></script>
`);
  // A stray rejection is recorded and logged, and the server goes on serving.
  process.on('unhandledRejection', (reason) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    services.log.error('unhandled rejection', { error: error.message, stack: error.stack });
    void recordError(rt.database.db, error, {
      source: 'process',
      redact: createRedactor(configuredSecrets(rt.config)),
    });
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.error(`${signal}: finishing answers in progress, then stopping …`);
      server
        .close()
        .then(() => queue?.close({ graceful: true, timeoutMs: 60_000 }))
        .then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the chat page, widget, APIs and admin console')
    .option('--port <n>', 'port (default PARLEY_PORT or 3000; 0 picks a free one)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--host <host>', 'address to listen on (default PARLEY_HOST or 127.0.0.1)')
    .option('--seed', 'seed the demo company into an empty database (the default on the embedded database)')
    .option('--no-seed', 'never seed the demo company')
    .option('--worker', 'also run background jobs in this process (the default on the embedded database)')
    .option('--no-worker', 'do not run background jobs here (run `parley worker` processes instead)')
    .option(...dataDirOption)
    .action(
      async (opts: { port?: number; host?: string; seed?: boolean; worker?: boolean; dataDir?: string }) => {
        buildWebIfNeeded();
        await withRuntime(opts, async (rt) => {
          // A production Postgres should not start with a fictional company in it.
          if (opts.seed ?? rt.database.backend === 'pglite') await seedIfEmpty(rt);
          await serveUntilSignal(rt, opts);
        });
      },
    );
  program
    .command('start')
    .description('npm start: build the web app, migrate, seed the demo company on first run, and serve')
    .option('--port <n>', 'port (default PARLEY_PORT or 3000)', positiveInt)
    .option(...dataDirOption)
    .action(async (opts: { port?: number; dataDir?: string }) => {
      buildWebIfNeeded();
      await withRuntime(opts, async (rt) => {
        await seedIfEmpty(rt);
        await serveUntilSignal(rt, opts);
      });
    });
}

export function registerTokens(admin: Command): void {
  admin
    .command('create-token')
    .description('Create a staff API token (shown once; stored hashed) for the console and the admin API')
    .requiredOption('--name <name>', 'who or what the token is for')
    .option(...dataDirOption)
    .action(async (opts: { name: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const { id, token } = await createStaffToken(rt.database.db, opts.name);
        console.error(`Created token ${id} for "${opts.name}". It is shown only this once:`);
        console.log(token);
      });
    });
}
