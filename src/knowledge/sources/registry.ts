import fs from 'node:fs/promises';
import path from 'node:path';
import { asc, eq, or, sql } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';
import { type Source, sources } from '../../db/schema/index.ts';
import { isUrl, looksLikeSitemap } from './read.ts';

export type SourceKind = Source['kind'];

/** What the last sync of a source did; stored in `sources.last_status`. */
export interface SyncStatus {
  at: string;
  mode: 'inline' | 'queued';
  /** Documents the source lists now (files in the folder, URLs in the sitemap, 1 for a page). */
  documents: number;
  /** Ingestion jobs enqueued (queued mode). */
  enqueued?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  failed?: number;
  retired: number;
  /** Files in the folder of types Parley does not read. */
  skipped: number;
  error?: { code: string; message: string };
  /** A sitemap's page URLs at this sync, so the next one can retire the pages it no longer lists. */
  urls?: string[];
}

export type AddSourceResult =
  | { ok: true; source: Source }
  | { ok: false; error: { code: 'not_found' | 'not_a_folder' | 'exists' | 'invalid'; message: string } };

/**
 * Registers a folder, web page or sitemap for syncing; `intervalMinutes` schedules it. A URL ending in `.xml`
 * or `.xml.gz` is a sitemap unless `kind` says otherwise.
 */
export async function addSource(
  db: Db,
  input: { location: string; intervalMinutes?: number | undefined; kind?: SourceKind | undefined },
): Promise<AddSourceResult> {
  let kind: SourceKind;
  let location: string;
  if (isUrl(input.location)) {
    location = new URL(input.location).toString();
    kind = input.kind ?? (looksLikeSitemap(location) ? 'sitemap' : 'url');
    if (kind === 'folder') return invalid(`${location} is a URL, not a folder`);
  } else {
    location = path.resolve(input.location);
    const stat = await fs.stat(location).catch(() => undefined);
    if (!stat) return { ok: false, error: { code: 'not_found', message: `${location}: no such folder` } };
    if (!stat.isDirectory()) {
      return {
        ok: false,
        error: {
          code: 'not_a_folder',
          message: `${location} is a file: register its folder, or ingest it once with \`parley ingest\``,
        },
      };
    }
    if (input.kind && input.kind !== 'folder') return invalid(`${location} is a folder, not a ${input.kind}`);
    kind = 'folder';
  }
  if (
    input.intervalMinutes !== undefined &&
    !(Number.isInteger(input.intervalMinutes) && input.intervalMinutes > 0)
  ) {
    return invalid('the interval must be a whole number of minutes, at least 1');
  }
  const [source] = await db
    .insert(sources)
    .values({ kind, location, intervalMinutes: input.intervalMinutes ?? null })
    .onConflictDoNothing({ target: sources.location })
    .returning();
  if (!source) return { ok: false, error: { code: 'exists', message: `${location} is already registered` } };
  return { ok: true, source };
}

function invalid(message: string): AddSourceResult {
  return { ok: false, error: { code: 'invalid', message } };
}

export async function listSources(db: Db): Promise<Source[]> {
  return db.select().from(sources).orderBy(asc(sources.createdAt), asc(sources.location));
}

/** A source by id, or by its location (path or URL) as given to `addSource`. */
export async function findSource(db: Db, ref: string): Promise<Source | undefined> {
  const location = isUrl(ref) ? new URL(ref).toString() : path.resolve(ref);
  const byId = /^[0-9a-f-]{36}$/i.test(ref) ? eq(sources.id, ref) : undefined;
  const [source] = await db
    .select()
    .from(sources)
    .where(byId ? or(byId, eq(sources.location, location)) : eq(sources.location, location));
  return source;
}

export async function removeSource(db: Db, id: string): Promise<void> {
  await db.delete(sources).where(eq(sources.id, id));
}

/**
 * Whether a scheduled source's interval has passed. Half a minute of slack: the schedule ticks once a minute
 * and a sync stamps itself a few seconds after its tick, so without it a 5-minute source would sync every 6.
 */
const dueCondition = sql`${sources.intervalMinutes} IS NOT NULL AND (${sources.lastSyncedAt} IS NULL OR
  ${sources.lastSyncedAt} + make_interval(mins => ${sources.intervalMinutes}) <= now() + interval '30 seconds')`;

/** Scheduled sources whose interval has passed since their last sync (or that never synced). */
export async function dueSources(db: Db): Promise<Source[]> {
  return db.select().from(sources).where(dueCondition).orderBy(asc(sources.lastSyncedAt));
}

export async function isDue(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: sources.id })
    .from(sources)
    .where(sql`${sources.id} = ${id} AND ${dueCondition}`);
  return rows.length > 0;
}

/** Stamps a sync: when it started and what it did. */
export async function recordSync(db: Db, id: string, startedAt: Date, status: SyncStatus): Promise<void> {
  await db
    .update(sources)
    .set({ lastSyncedAt: startedAt, lastStatus: status as unknown as Record<string, unknown> })
    .where(eq(sources.id, id));
}
