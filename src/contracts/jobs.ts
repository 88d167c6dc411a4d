import { z } from '@hono/zod-openapi';

// Background job queues as operators see them.

export const jobStates = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof jobStates)[number];

export const JobStatusQuery = z.object({ failures: z.coerce.number().int().min(0).max(200).default(20) });

export const QueueDepth = z.object({
  name: z.string(),
  /** Jobs per state; completed and failed jobs are kept for 7 days, then deleted. */
  counts: z.record(z.enum(jobStates), z.number()),
  /** Seconds the oldest job waiting to run (created or retry, and due) has waited; null when none waits. */
  oldestWaitingSeconds: z.number().nullable(),
});
export type QueueDepth = z.infer<typeof QueueDepth>;

export const JobFailure = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['failed', 'retry']),
  /** The job's attempts so far and how many it may make. */
  retryCount: z.number(),
  retryLimit: z.number(),
  /** The error the last attempt ended with. */
  error: z.string(),
  /** What the job was about: the source a job ingests or syncs. */
  subject: z.string().optional(),
  failedAt: z.string().nullable(),
});
export type JobFailure = z.infer<typeof JobFailure>;

export const JobStatus = z
  .object({
    /** False until the first queue command or worker has created the queue's tables. */
    installed: z.boolean(),
    queues: z.array(QueueDepth),
    /** The most recent failures, newest first: jobs that gave up, and jobs waiting to retry after an error. */
    recentFailures: z.array(JobFailure),
  })
  .openapi('JobStatus');
export type JobStatus = z.infer<typeof JobStatus>;
