import path from 'node:path';
import { z } from 'zod';
import { evalTriggers } from '../contracts/eval.ts';
import { qaGenerateSources } from '../contracts/qa.ts';
import { isUrl } from '../knowledge/sources/read.ts';
import { NotificationDelivery } from '../support/notifications/events.ts';

/** The Postgres schema pg-boss keeps its tables in (created on first use, beside Parley's own tables). */
export const jobSchema = 'pgboss';

/** How a job is retried and bounded; pg-boss applies it to every job of that name. */
export interface JobPolicy {
  /** Retries after the first attempt before the job is marked failed. */
  retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) on each later one when `retryBackoff` is on. */
  retryDelay: number;
  retryBackoff: boolean;
  /** Longest a job may run (stay active) before it is failed and retried. */
  expireInSeconds: number;
  /**
   * A running job refreshes its heartbeat every half of this; when a worker dies (killed, machine lost) the
   * heartbeat stops and the job is retried on another worker after this many seconds, not after
   * `expireInSeconds`. At least 10.
   */
  heartbeatSeconds?: number;
  /**
   * `stately`: at most one queued and one running job per `singletonKey` (a source is never synced by two
   * jobs at once, and a backlog of schedule ticks collapses into one).
   */
  policy: 'standard' | 'stately';
}

export interface JobDefinition<Payload extends z.ZodType = z.ZodType> extends JobPolicy {
  description: string;
  payload: Payload;
}

const ingestSettings = z.object({
  maxFileBytes: z.number().int().positive(),
  fetchTimeoutMs: z.number().int().positive(),
  fetchAllowHosts: z.array(z.string()).optional(),
  chunk: z.object({
    maxTokens: z.number().int().min(64).max(2000),
    overlapTokens: z.number().int().min(0).max(500),
  }),
  // Optional: jobs queued before the limits existed take the defaults.
  limits: z
    .object({
      maxExtractedBytes: z.number().int().positive(),
      maxPdfPages: z.number().int().positive(),
      maxTextChars: z.number().int().positive(),
      maxChunks: z.number().int().positive(),
      timeoutMs: z.number().int().positive(),
    })
    .optional(),
});

const sourceRef = z
  .object({
    uri: z.string().min(1),
    kind: z.enum(['file', 'url']),
    root: z.string().min(1).optional(),
  })
  .refine((s) => (s.kind === 'url' ? isUrl(s.uri) : path.isAbsolute(s.uri)), {
    message: 'a file source needs an absolute path and a url source an http(s) URL',
    path: ['uri'],
  });

/**
 * Every background job Parley runs: name → payload schema, retry and time limits. Handlers live in
 * `worker.ts` and only call services; payloads are validated when a job is enqueued and again when it runs.
 */
export const jobCatalog = {
  'ingest.source': {
    description:
      'Read, extract, chunk and embed one file or web page; store it as a new version if it changed',
    payload: z.object({
      source: sourceRef,
      settings: ingestSettings,
      /** The registered source this document belongs to, when it came from a sync. */
      sourceId: z.uuid().optional(),
    }),
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    // Long enough that a big document (a large PDF, or a long transaction on PGlite, which holds up the
    // heartbeat query) does not look like a dead worker; short enough that a killed worker's jobs come back soon.
    heartbeatSeconds: 30,
    policy: 'standard',
  },
  'sources.sync': {
    description:
      "Resolve a registered source's documents, enqueue their ingestion and retire the removed ones",
    payload: z.object({
      sourceId: z.uuid(),
      /** `schedule`: skip the sync when someone else synced the source since it came due. */
      reason: z.enum(['manual', 'schedule']),
      settings: ingestSettings,
    }),
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 10 * 60,
    heartbeatSeconds: 30,
    policy: 'stately',
  },
  'sources.sync-due': {
    description: 'Enqueue a sync of every source whose interval has passed (runs every minute)',
    payload: z.object({}),
    retryLimit: 0,
    retryDelay: 0,
    retryBackoff: false,
    expireInSeconds: 60,
    policy: 'stately',
  },
  'qa.generate': {
    description: 'Propose Q&A pairs from resolved conversations, approved solutions and documents',
    payload: z.object({ from: z.array(z.enum(qaGenerateSources)).min(1).optional() }),
    retryLimit: 1,
    retryDelay: 30,
    retryBackoff: false,
    expireInSeconds: 30 * 60,
    heartbeatSeconds: 60,
    policy: 'stately',
  },
  'finetune.poll': {
    description:
      "Read a fine-tuning job's status and events; evaluate the model when it succeeds; poll again until done",
    payload: z.object({
      finetuneJobId: z.uuid(),
      /** Seconds until the next poll while the job is still running. */
      intervalSeconds: z.number().int().min(1).max(3600).default(60),
    }),
    retryLimit: 5,
    retryDelay: 60,
    retryBackoff: true,
    // Long enough to evaluate the test split against two models.
    expireInSeconds: 60 * 60,
    heartbeatSeconds: 60,
    policy: 'stately',
  },
  'eval.suite-run': {
    description: 'Run a registered answer test suite and store the run, marking answers that changed',
    payload: z.object({
      suiteId: z.uuid(),
      trigger: z.enum(evalTriggers),
      /** The documents whose new version started this run. */
      changedDocuments: z.array(z.uuid()).default([]),
    }),
    retryLimit: 1,
    retryDelay: 60,
    retryBackoff: false,
    expireInSeconds: 60 * 60,
    heartbeatSeconds: 60,
    policy: 'stately',
  },
  'eval.suites-due': {
    description:
      'Enqueue a run of every registered suite that relies on a document changed since its last run',
    payload: z.object({}),
    retryLimit: 0,
    retryDelay: 0,
    retryBackoff: false,
    expireInSeconds: 60,
    policy: 'stately',
  },
  'notify.deliver': {
    description: 'Deliver one hand-off notification: a webhook, or an email to staff or to the customer',
    payload: NotificationDelivery,
    // From 5-10 s, doubling: about two hours of attempts before a receiver's outage loses the event.
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
    policy: 'standard',
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;

export const jobNames = Object.keys(jobCatalog) as JobName[];

/** A payload that does not match its job's schema: a bug in the caller, reported before anything is queued. */
export class InvalidJobPayload extends Error {
  constructor(
    readonly job: string,
    readonly issues: string[],
  ) {
    super(`Invalid payload for job "${job}": ${issues.join('; ')}`);
    this.name = 'InvalidJobPayload';
  }
}

/** Validates a payload against its job's schema; throws `InvalidJobPayload` listing every problem. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  const definition = jobCatalog[name] as JobDefinition | undefined;
  if (!definition) throw new InvalidJobPayload(name, [`no such job (known: ${jobNames.join(', ')})`]);
  const parsed = definition.payload.safeParse(data);
  if (parsed.success) return parsed.data as JobPayload<N>;
  throw new InvalidJobPayload(
    name,
    parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`),
  );
}
