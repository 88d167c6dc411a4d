import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { jobStates, type JobState, type JobStatus, type QueueDepth } from '../contracts/jobs.ts';
import { jobNames, jobSchema } from './catalog.ts';

const jobTable = sql.raw(`${jobSchema}.job`);

export type { JobFailure, JobState, JobStatus, QueueDepth } from '../contracts/jobs.ts';

/**
 * Queue depth per job and state, and recent failures, read straight from the job tables (no pg-boss instance
 * needed): for `parley jobs`-style views and the admin API.
 *
 * @example
 *   const { queues, recentFailures } = await jobStatus(database.db);
 */
export async function jobStatus(db: Db, options: { failures?: number } = {}): Promise<JobStatus> {
  const [installed] = await queryRows<{ present: boolean }>(
    db,
    sql`SELECT to_regclass(${`${jobSchema}.job`}) IS NOT NULL AS present`,
  );
  if (!installed?.present) {
    return { installed: false, queues: jobNames.map((name) => emptyDepth(name)), recentFailures: [] };
  }
  const counts = await queryRows<{ name: string; state: JobState; count: number }>(
    db,
    sql`SELECT name, state::text AS state, count(*)::int AS count FROM ${jobTable} GROUP BY name, state`,
  );
  const waiting = await queryRows<{ name: string; seconds: number }>(
    db,
    sql`SELECT name, extract(epoch FROM now() - min(created_on))::float8 AS seconds
        FROM ${jobTable} WHERE state IN ('created', 'retry') AND start_after <= now() GROUP BY name`,
  );
  const failures = await queryRows<{
    id: string;
    name: string;
    state: 'failed' | 'retry';
    retry_count: number;
    retry_limit: number;
    output: unknown;
    data: unknown;
    failed_at: Date | string | null;
  }>(
    db,
    sql`SELECT id, name, state::text AS state, retry_count, retry_limit, output, data,
          coalesce(completed_on, started_on, created_on) AS failed_at
        FROM ${jobTable}
        WHERE state = 'failed' OR (state = 'retry' AND output IS NOT NULL)
        ORDER BY coalesce(completed_on, started_on, created_on) DESC
        LIMIT ${options.failures ?? 20}`,
  );
  const names = [...new Set([...jobNames, ...counts.map((c) => c.name)])].filter(
    (n) => !n.startsWith('__pgboss'),
  );
  return {
    installed: true,
    queues: names.map((name) => {
      const depth = emptyDepth(name);
      for (const c of counts) if (c.name === name) depth.counts[c.state] = c.count;
      const wait = waiting.find((w) => w.name === name);
      depth.oldestWaitingSeconds = wait ? Math.round(wait.seconds) : null;
      return depth;
    }),
    recentFailures: failures.map((f) => ({
      id: f.id,
      name: f.name,
      state: f.state,
      retryCount: f.retry_count,
      retryLimit: f.retry_limit,
      error: errorMessage(f.output),
      subject: subjectOf(f.data),
      failedAt: f.failed_at ? new Date(f.failed_at).toISOString() : null,
    })),
  };
}

function emptyDepth(name: string): QueueDepth {
  return {
    name,
    counts: Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>,
    oldestWaitingSeconds: null,
  };
}

/** pg-boss stores a thrown error as `{message, stack, ...}` and a handler's failure output as given. */
function errorMessage(output: unknown): string {
  if (output && typeof output === 'object') {
    const o = output as { message?: unknown; error?: { message?: unknown } };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.error?.message === 'string') return o.error.message;
    return JSON.stringify(output);
  }
  return output === null || output === undefined ? 'unknown error' : String(output);
}

function subjectOf(data: unknown): string | undefined {
  const d = data as { source?: { uri?: unknown }; sourceId?: unknown } | null;
  if (typeof d?.source?.uri === 'string') return d.source.uri;
  return typeof d?.sourceId === 'string' ? `source ${d.sourceId}` : undefined;
}
