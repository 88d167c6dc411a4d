import { recordError } from '../ops/error-tracking.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { type JobResult } from 'pg-boss';
import type { Config } from '../config.ts';
import { type Db } from '../db/client.ts';
import { type Embedder } from '../knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../knowledge/embedding-space.ts';
import { type IngestSettings, ingestSource, loadProductNames } from '../knowledge/ingest.ts';
import { InvalidJobPayload, type JobName, jobNames, type JobPayload, parseJobPayload } from './catalog.ts';
import { evalHandlers } from './eval-jobs.ts';
import { learnHandlers } from './learn-jobs.ts';
import { notifyHandlers } from './notify-jobs.ts';
import { type JobQueue } from './queue.ts';
import { dueSources, findSource, isDue } from '../knowledge/sources/registry.ts';
import { type QueuedRef, syncSourceQueued } from '../knowledge/sources/sync.ts';

/** Ingestion jobs a worker claims at a time (per unit of concurrency). */
const ingestBatchSize = 4;

export interface WorkerDeps {
  db: Db;
  embedder: Embedder;
  queue: JobQueue;
  /** Ingest settings for the syncs the schedule starts (a manual sync carries its caller's). */
  settings: IngestSettings;
  /** One line per finished job. */
  log: (line: string) => void;
  /** Q&A generation and fine-tuning jobs need the model configuration. */
  config?: Config;
}

export interface WorkerOptions {
  /** Jobs of each kind this process runs at once. */
  concurrency: number;
  /** Seconds between polls of an idle queue. */
  pollingIntervalSeconds?: number;
}

/** How a job ended: `failed` is retried (within its limit), `deadletter` fails it for good (retrying cannot help). */
export type JobOutcome =
  | { status: 'completed'; output: Record<string, unknown>; summary: string }
  | { status: 'failed' | 'deadletter'; output: { code: string; message: string }; summary: string };

type Handler<N extends JobName> = (payload: JobPayload<N>, deps: WorkerDeps) => Promise<JobOutcome>;

/** Each job's handler: it only calls a service and says how the job ended. */
const handlers: { [N in JobName]: Handler<N> } = {
  'ingest.source': async ({ source, settings }, deps) => {
    await ensureEmbeddingSpace(deps.db, deps.embedder);
    const productNames = await loadProductNames(deps.db);
    const result = await ingestSource(
      { db: deps.db, embedder: deps.embedder },
      { uri: source.uri, kind: source.kind, root: source.root },
      settings,
      productNames,
    );
    if (result.status === 'failed') {
      const error = result.error ?? { code: 'failed', message: `${source.uri}: failed` };
      return {
        status: retryable(error.code) ? 'failed' : 'deadletter',
        output: error,
        summary: error.message,
      };
    }
    const detail = result.chunks !== undefined ? ` (v${result.version}, ${result.chunks} chunks)` : '';
    return { status: 'completed', output: { ...result }, summary: `${result.status} ${source.uri}${detail}` };
  },
  'sources.sync': async ({ sourceId, reason, settings }, deps) => {
    const source = await findSource(deps.db, sourceId);
    if (!source) {
      const message = `source ${sourceId} is no longer registered`;
      return { status: 'deadletter', output: { code: 'not_found', message }, summary: message };
    }
    if (reason === 'schedule' && !(await isDue(deps.db, source.id))) {
      return { status: 'completed', output: { skipped: true }, summary: `${source.location} already synced` };
    }
    const enqueue = (refs: QueuedRef[]) =>
      deps.queue.enqueueMany(
        'ingest.source',
        refs.map((ref) => ({ source: ref, settings, sourceId: source.id })),
      );
    const { status } = await syncSourceQueued(deps.db, enqueue, source, settings);
    if (status.error) {
      return {
        status: status.error.code === 'unreachable' ? 'failed' : 'deadletter',
        output: status.error,
        summary: status.error.message,
      };
    }
    return {
      status: 'completed',
      output: { ...status, urls: undefined },
      summary: `synced ${source.location}: ${status.documents} documents queued, ${status.retired} retired`,
    };
  },
  'sources.sync-due': async (_payload, deps) => {
    const queued = await enqueueDueSources(deps.db, deps.queue, deps.settings);
    return { status: 'completed', output: { queued }, summary: `${queued} scheduled sources due` };
  },
  ...learnHandlers,
  ...evalHandlers,
  ...notifyHandlers,
};

/**
 * Whether a failed ingestion may succeed on a later attempt: a server that is down or slow may answer later,
 * and an unexpected error (`failed`: a lost connection, an embedding API's outage) may pass. A failure for the
 * document's content (corrupt, unsupported, encrypted, over a limit, a decompression bomb) will fail the same
 * way every time, and each attempt at a hostile file costs a worker minutes or its memory: not retried.
 */
function retryable(code: string): boolean {
  return code === 'unreachable' || code === 'failed';
}

/**
 * Enqueues a sync of every scheduled source whose interval has passed. A source already waiting for its sync
 * is not queued twice (the sync job is `stately`, keyed by source).
 */
export async function enqueueDueSources(db: Db, queue: JobQueue, settings: IngestSettings): Promise<number> {
  let queued = 0;
  for (const source of await dueSources(db)) {
    const id = await queue.enqueue(
      'sources.sync',
      { sourceId: source.id, reason: 'schedule', settings },
      { singletonKey: source.id },
    );
    if (id) queued++;
  }
  return queued;
}

/** Runs one job through its handler; never throws, so one bad job cannot stop the others in its batch. */
export async function runJob(
  name: JobName,
  job: { id: string; data: unknown },
  deps: WorkerDeps,
): Promise<JobOutcome> {
  try {
    const payload = parseJobPayload(name, job.data);
    return await (handlers[name] as Handler<JobName>)(payload, deps);
  } catch (error) {
    if (error instanceof InvalidJobPayload) {
      return {
        status: 'deadletter',
        output: { code: 'invalid_payload', message: error.message },
        summary: error.message,
      };
    }
    // Broken infrastructure (a lost connection, a mismatched embedding space): fail and let pg-boss retry.
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'failed', output: { code: 'error', message }, summary: message };
  }
}

/**
 * Starts taking jobs of every kind in the catalog. Several workers (in one process or on many machines)
 * share each queue: a job is claimed with `FOR UPDATE SKIP LOCKED`, so no two workers run it at once. Also
 * schedules the once-a-minute check for sources due a sync.
 */
export async function startWorker(deps: WorkerDeps, options: WorkerOptions): Promise<void> {
  const { boss } = deps.queue;
  for (const name of jobNames) {
    const bulk = name === 'ingest.source';
    await boss.work(
      name,
      {
        // pg-boss waits a polling interval after every batch unless the batch came back full; batches of a
        // few jobs keep a backlog flowing without a pause per job, and are run one job after another.
        batchSize: bulk ? ingestBatchSize : 1,
        burstWhenBatchFull: bulk,
        perJobResults: true,
        localConcurrency: bulk ? options.concurrency : 1,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      },
      async (jobs): Promise<JobResult[]> => {
        const results: JobResult[] = [];
        for (const job of jobs) {
          const started = performance.now();
          const outcome = await runJob(name, job, deps);
          if (outcome.status !== 'completed') {
            // Failed jobs are tracked like errors, grouped by job and error code rather than by source.
            const error = Object.assign(new Error(outcome.summary), { name: `JobFailed(${name})` });
            await recordError(deps.db, error, {
              source: 'job',
              fingerprint: `job:${name}:${outcome.output.code}`,
              context: { job: name, jobId: job.id, status: outcome.status, code: outcome.output.code },
              ...(deps.config ? { redact: createRedactor(configuredSecrets(deps.config)) } : {}),
            });
          }
          const mark = outcome.status === 'completed' ? '✓' : outcome.status === 'failed' ? '↻' : '✗';
          const ms = Math.round(performance.now() - started);
          deps.log(`${mark} ${name} ${outcome.summary} [${ms} ms]`);
          results.push({ id: job.id, status: outcome.status, output: outcome.output });
        }
        return results;
      },
    );
  }
  await boss.schedule('sources.sync-due', '* * * * *', {});
  await boss.schedule('eval.suites-due', '* * * * *', {});
}
