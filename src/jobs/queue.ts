import { fromPglite, PgBoss } from 'pg-boss';
import { type Database } from '../db/client.ts';
import {
  type JobDefinition,
  jobCatalog,
  type JobName,
  jobNames,
  type JobPayload,
  jobSchema,
  parseJobPayload,
} from './catalog.ts';

export interface QueueOptions {
  /**
   * `producer` only enqueues (CLI commands, the server); `worker` also runs maintenance: expiring jobs whose
   * worker died, and sending scheduled jobs.
   */
  role: 'producer' | 'worker';
  /** Connections pg-boss may open to a Postgres server (ignored on PGlite, which has one). */
  maxConnections?: number;
  /** Seconds between maintenance passes (workers): how soon a dead worker's job is noticed. */
  superviseIntervalSeconds?: number;
  /** Reported to `parley worker` on pg-boss errors (a lost connection, a failed maintenance pass). */
  onError?: (error: Error) => void;
}

export interface EnqueueOptions {
  /** At most one queued and one running job per key, on `stately` jobs (`sources.sync`: the source id). */
  singletonKey?: string;
  /** Run no earlier than this. */
  startAfter?: Date;
}

/** The job queue on Parley's database: typed, validated enqueueing over pg-boss. */
export interface JobQueue {
  readonly boss: PgBoss;
  /** Validates the payload and enqueues one job; `null` when a `stately` job with that key is already queued. */
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Validates every payload (all or nothing), then enqueues them in one statement; returns how many. */
  enqueueMany<N extends JobName>(name: N, payloads: JobPayload<N>[]): Promise<number>;
  /** Stops pg-boss; with `graceful`, running handlers get up to `timeoutMs` to finish first. */
  close(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/**
 * Opens pg-boss on the same database as everything else: over its own small connection pool on a Postgres
 * server, or through pg-boss's PGlite adapter on the embedded database (which is why a PGlite data directory
 * can be served by one process at a time, workers included). Creates the catalog's queues and brings their
 * retry and time limits up to date.
 */
export async function openQueue(database: Database, options: QueueOptions): Promise<JobQueue> {
  const worker = options.role === 'worker';
  const common = {
    schema: jobSchema,
    supervise: worker,
    schedule: worker,
    registerInstance: worker,
    instanceName: 'parley-worker',
    ...(worker && options.superviseIntervalSeconds
      ? {
          superviseIntervalSeconds: options.superviseIntervalSeconds,
          monitorIntervalSeconds: options.superviseIntervalSeconds,
        }
      : {}),
  };
  let boss: PgBoss;
  if (database.pglite) {
    boss = new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' });
  } else if (database.url) {
    boss = new PgBoss({
      ...common,
      connectionString: database.url,
      max: options.maxConnections ?? (worker ? 6 : 2),
      application_name: worker ? 'parley-worker' : 'parley',
    });
  } else {
    throw new Error('The job queue needs a PGlite database or a Postgres server URL');
  }
  boss.on('error', options.onError ?? (() => {}));
  await boss.start();
  try {
    await ensureQueues(boss);
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  return {
    boss,
    async enqueue(name, payload, enqueueOptions = {}) {
      const data = parseJobPayload(name, payload);
      return boss.send(name, data as object, {
        ...(enqueueOptions.singletonKey ? { singletonKey: enqueueOptions.singletonKey } : {}),
        ...(enqueueOptions.startAfter ? { startAfter: enqueueOptions.startAfter } : {}),
      });
    },
    async enqueueMany(name, payloads) {
      const jobs = payloads.map((p) => ({ data: parseJobPayload(name, p) as object }));
      // One statement per thousand keeps a large backfill's insert well under Postgres's parameter limit.
      for (let i = 0; i < jobs.length; i += 1000) await boss.insert(name, jobs.slice(i, i + 1000));
      return jobs.length;
    },
    async close({ graceful = false, timeoutMs = 30_000 } = {}) {
      await boss.stop({ graceful, timeout: timeoutMs, close: true });
    },
  };
}

function queueSettings(definition: JobDefinition) {
  return {
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelay,
    retryBackoff: definition.retryBackoff,
    expireInSeconds: definition.expireInSeconds,
  };
}

async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Map((await boss.getQueues(jobNames)).map((q) => [q.name, q]));
  for (const name of jobNames) {
    const definition: JobDefinition = jobCatalog[name];
    const queue = existing.get(name);
    if (!queue) {
      await boss.createQueue(name, {
        ...queueSettings(definition),
        policy: definition.policy,
        ...(definition.heartbeatSeconds ? { heartbeatSeconds: definition.heartbeatSeconds } : {}),
      });
    } else if (
      queue.retryLimit !== definition.retryLimit ||
      queue.retryDelay !== definition.retryDelay ||
      queue.retryBackoff !== definition.retryBackoff ||
      queue.expireInSeconds !== definition.expireInSeconds ||
      (queue.heartbeatSeconds ?? null) !== (definition.heartbeatSeconds ?? null)
    ) {
      await boss.updateQueue(name, {
        ...queueSettings(definition),
        heartbeatSeconds: definition.heartbeatSeconds ?? null,
      });
    }
  }
}
