import crypto from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { TrackedErrorQuery, TrackedErrorView } from '../contracts/tracked-errors.ts';
import type { Db } from '../db/client.ts';
import { errors, type TrackedError } from '../db/schema/index.ts';
import { metrics } from './metrics.ts';
import { type Redact, redactKnownShapes, redactValue } from './redact.ts';

export type ErrorSource = 'request' | 'job' | 'process';

/**
 * What makes two errors "the same": their type, their message with the variable parts (numbers, ids, quoted
 * values) blanked, and the first stack frame inside Parley's own code (file and function, not the line, so a
 * fingerprint survives unrelated edits above it).
 */
export function fingerprintOf(error: Error): string {
  const message = error.message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"|'[^']*'/g, '<value>')
    .replace(/\d+/g, '<n>');
  const frame =
    (error.stack ?? '')
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .find((l) => l.includes('/src/') && !l.includes('node_modules')) ?? '';
  const where = frame
    .replace(/:\d+:\d+\)?$/, '')
    .replace(/^at\s+/, '')
    .replace(/.*\/src\//, 'src/');
  return crypto.createHash('sha256').update(`${error.name}\n${message}\n${where}`).digest('hex').slice(0, 32);
}

/**
 * Records an error: a new fingerprint gets a row; a known one counts up and moves its last-seen time; one that
 * was marked resolved and happens again is reopened. Never throws: tracking must not add failures.
 */
export async function recordError(
  db: Db,
  error: Error,
  details: {
    source: ErrorSource;
    requestId?: string | undefined;
    context?: Record<string, unknown>;
    /** Groups by this instead of the error's own fingerprint (e.g. a job's name and error code). */
    fingerprint?: string;
    /**
     * Blanks secrets in what is stored (ops/redact.ts): the configured ones when the caller has the
     * configuration, else only credentials of well-known shapes.
     */
    redact?: Redact;
  },
): Promise<void> {
  metrics.errors.inc({ source: details.source });
  const redact = details.redact ?? redactKnownShapes;
  try {
    const message = redact(`${error.name}: ${error.message}`).slice(0, 2000);
    await db
      .insert(errors)
      .values({
        fingerprint: details.fingerprint ?? fingerprintOf(error),
        message,
        stack: redact(error.stack ?? '').slice(0, 8000),
        sampleRequestId: details.requestId ?? null,
        context: redactValue({ source: details.source, ...details.context }, redact),
      })
      .onConflictDoUpdate({
        target: errors.fingerprint,
        set: {
          count: sql`${errors.count} + 1`,
          lastSeen: sql`now()`,
          message,
          sampleRequestId: sql`coalesce(${details.requestId ?? null}, ${errors.sampleRequestId})`,
          status: 'open',
          resolvedAt: null,
        },
      });
  } catch {
    // The database itself may be what failed.
  }
}

export async function listErrors(
  db: Db,
  options: { status?: TrackedError['status'] | undefined; limit?: number } = {},
): Promise<TrackedError[]> {
  return db
    .select()
    .from(errors)
    .where(options.status ? eq(errors.status, options.status) : undefined)
    .orderBy(desc(errors.lastSeen))
    .limit(options.limit ?? 100);
}

/** Marks an error resolved; it reopens by itself if it happens again. */
export async function resolveError(db: Db, id: string): Promise<TrackedError | undefined> {
  const [row] = await db
    .update(errors)
    .set({ status: 'resolved', resolvedAt: new Date() })
    .where(eq(errors.id, id))
    .returning();
  return row;
}

/** A tracked error as the admin API shows it. */
export function trackedErrorView(row: TrackedError): TrackedErrorView {
  return {
    ...row,
    firstSeen: row.firstSeen.toISOString(),
    lastSeen: row.lastSeen.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Tracked errors for the admin API, most recently seen first. */
export async function listTrackedErrors(db: Db, query: TrackedErrorQuery): Promise<TrackedErrorView[]> {
  return (await listErrors(db, query)).map(trackedErrorView);
}

/** Marks a tracked error resolved, for the admin API; undefined when there is no such error. */
export async function resolveTrackedError(db: Db, id: string): Promise<TrackedErrorView | undefined> {
  const row = await resolveError(db, id);
  return row && trackedErrorView(row);
}
