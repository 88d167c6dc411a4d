import { type Command } from 'commander';
import { openQueue } from '../jobs/queue.ts';
import { createLogger } from '../ops/log.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { startWorker } from '../jobs/worker.ts';
import { dataDirOption, ingestSettings, withRuntime } from './runtime.ts';
import { positiveInt } from './search.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run background jobs (queued ingestion, source syncs, schedules) until SIGINT or SIGTERM')
    .option('--concurrency <n>', 'ingestion jobs this process runs at once', positiveInt, 2)
    .option(...dataDirOption)
    .action(async (opts: { concurrency: number; dataDir?: string }) => {
      await runWorkerCommand(opts);
    });
}

export interface WorkerCommandOptions {
  concurrency: number;
  dataDir?: string;
  /** Seconds between maintenance passes: how soon a killed worker's job is retried elsewhere. */
  superviseIntervalSeconds?: number;
  /** How long a stop waits for running jobs before handing them back to the queue. */
  stopTimeoutMs?: number;
}

/**
 * `parley worker`: takes jobs until SIGINT or SIGTERM, then stops taking new ones and lets the running ones
 * finish (a second signal exits at once; the interrupted jobs are retried once their heartbeat lapses).
 */
export async function runWorkerCommand(opts: WorkerCommandOptions): Promise<void> {
  await withRuntime(opts, async ({ config, database, embedder }) => {
    // The same JSON lines as the server's logs, so one log pipeline reads both.
    const logger = createLogger(
      config.logLevel,
      undefined,
      { process: 'worker', pid: process.pid },
      createRedactor(configuredSecrets(config)),
    );
    const log = (line: string) => logger.info(line);
    const queue = await openQueue(database, {
      role: 'worker',
      maxConnections: opts.concurrency + 4,
      superviseIntervalSeconds: opts.superviseIntervalSeconds ?? 30,
      onError: (error) => log(`queue error: ${error.message}`),
    });
    const stopRequested = new Promise<string>((resolve) => {
      let signalled = false;
      const onSignal = (signal: string) => {
        if (signalled) {
          log(`${signal} again: exiting now; the interrupted jobs will be retried`);
          process.exit(130);
        }
        signalled = true;
        resolve(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    try {
      await startWorker(
        { db: database.db, embedder, queue, settings: ingestSettings(config), log, config },
        { concurrency: opts.concurrency },
      );
      log(
        `worker ${process.pid} running (${opts.concurrency} at a time, ${database.backend} ${database.location}, ` +
          `${embedder.model}); Ctrl-C stops it`,
      );
      const signal = await stopRequested;
      log(`${signal}: taking no new jobs, finishing the running ones`);
    } finally {
      await queue.close({ graceful: true, timeoutMs: opts.stopTimeoutMs ?? 120_000 });
    }
    log('worker stopped');
  });
}
