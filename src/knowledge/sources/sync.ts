import { and, eq, inArray } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';
import { documents, type Source } from '../../db/schema/index.ts';
import { type Embedder } from '../embed/index.ts';
import { ExtractionError } from '../extract/index.ts';
import { type IngestResult, type IngestSettings, ingestInputs } from '../ingest.ts';
import { goneFromFolder, retireDocument } from '../store.ts';
import { readSitemap, resolveInputs, type SourceRef } from './read.ts';
import { recordSync, type SyncStatus } from './registry.ts';

/** A source's documents as of now. */
interface ResolvedSource {
  refs: SourceRef[];
  skipped: string[];
  /** Documents ingested from this source earlier that it no longer lists. */
  gone: (db: Db) => Promise<{ id: string; source: string }[]>;
  urls?: string[];
}

export interface SyncReport {
  source: Source;
  status: SyncStatus;
  /** Per-document results (inline syncs). */
  results: IngestResult[];
}

/**
 * Syncs a registered source in this process: ingests what changed (unchanged documents are skipped by their
 * content hash, so nothing is re-embedded for them) and retires the documents the source no longer lists.
 */
export async function syncSourceInline(
  deps: { db: Db; embedder: Embedder },
  source: Source,
  settings: IngestSettings,
  options: { onResult?: (result: IngestResult, done: number, total: number) => void } = {},
): Promise<SyncReport> {
  const startedAt = new Date();
  const resolved = await resolveSource(source, settings);
  if ('error' in resolved) return fail(deps.db, source, startedAt, 'inline', resolved.error);
  // A folder goes to ingest whole, so documents keep the type named by their first folder level and
  // `--prune` retires what was removed; sitemap pages are retired here.
  const folder = source.kind === 'folder';
  const report = await ingestInputs(
    deps,
    folder ? [source.location] : resolved.refs.map((r) => r.uri),
    settings,
    { prune: folder, onResult: options.onResult },
  );
  const retired = folder ? [] : await retireDocuments(deps.db, await resolved.gone(deps.db));
  const results = [
    ...report.results,
    ...retired.map((d): IngestResult => ({ source: d.source, status: 'retired', documentId: d.id })),
  ];
  const count = (s: IngestResult['status']) => results.filter((r) => r.status === s).length;
  const status: SyncStatus = {
    at: startedAt.toISOString(),
    mode: 'inline',
    documents: resolved.refs.length,
    created: count('created'),
    updated: count('updated') + count('restored'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    retired: count('retired'),
    skipped: resolved.skipped.length,
    ...(resolved.urls ? { urls: resolved.urls } : {}),
  };
  await recordSync(deps.db, source.id, startedAt, status);
  return { source, status, results };
}

/** A file or page as a queued ingestion carries it. */
export type QueuedRef = ReturnType<typeof compactRef>;

/**
 * Hands a source's documents to background ingestion and says how many were queued. The job queue sits above
 * knowledge, so the caller supplies it (the `sources.sync` job enqueues `ingest.source` jobs).
 */
export type EnqueueIngestion = (refs: QueuedRef[]) => Promise<number>;

/**
 * Syncs a registered source through the queue: lists its documents now, passes them to `enqueue` for the
 * workers, and retires the documents it no longer lists.
 */
export async function syncSourceQueued(
  db: Db,
  enqueue: EnqueueIngestion,
  source: Source,
  settings: IngestSettings,
): Promise<SyncReport> {
  const startedAt = new Date();
  const resolved = await resolveSource(source, settings);
  if ('error' in resolved) return fail(db, source, startedAt, 'queued', resolved.error);
  const enqueued = await enqueue(resolved.refs.map(compactRef));
  const retired = await retireDocuments(db, await resolved.gone(db));
  const status: SyncStatus = {
    at: startedAt.toISOString(),
    mode: 'queued',
    documents: resolved.refs.length,
    enqueued,
    retired: retired.length,
    skipped: resolved.skipped.length,
    ...(resolved.urls ? { urls: resolved.urls } : {}),
  };
  await recordSync(db, source.id, startedAt, status);
  return {
    source,
    status,
    results: retired.map((d) => ({ source: d.source, status: 'retired', documentId: d.id })),
  };
}

/** A file or page `SourceRef` as a job payload stores it (no undefined fields, no bytes). */
export function compactRef(ref: SourceRef): { uri: string; kind: 'file' | 'url'; root?: string } {
  if (ref.kind !== 'file' && ref.kind !== 'url')
    throw new Error(`${ref.uri}: only files and pages can be queued`);
  return ref.root ? { uri: ref.uri, kind: ref.kind, root: ref.root } : { uri: ref.uri, kind: ref.kind };
}

async function resolveSource(
  source: Source,
  settings: IngestSettings,
): Promise<ResolvedSource | { error: { code: string; message: string } }> {
  switch (source.kind) {
    case 'folder': {
      const resolved = await resolveInputs([source.location]);
      const missing = resolved.missing[0];
      // A folder that vanished (an unmounted share) must not retire everything that came from it.
      if (missing) return { error: { code: missing.error.code, message: missing.error.message } };
      const seen = new Set(resolved.sources.map((s) => s.uri));
      return {
        refs: resolved.sources,
        skipped: resolved.skipped,
        gone: async (db) => goneFromFolder(db, source.location, seen),
      };
    }
    case 'url':
      return { refs: [{ uri: source.location, kind: 'url' }], skipped: [], gone: async () => [] };
    case 'sitemap': {
      let urls: string[];
      try {
        urls = await readSitemap(source.location, {
          maxBytes: settings.maxFileBytes,
          fetchTimeoutMs: settings.fetchTimeoutMs,
          allowHosts: settings.fetchAllowHosts,
        });
      } catch (error) {
        if (!(error instanceof ExtractionError)) throw error;
        return { error: { code: error.code, message: error.message } };
      }
      const previous = (source.lastStatus as SyncStatus | null)?.urls ?? [];
      const now = new Set(urls);
      const dropped = previous.filter((u) => !now.has(u));
      return {
        refs: urls.map((uri) => ({ uri, kind: 'url' })),
        skipped: [],
        urls,
        gone: async (db) => activeDocuments(db, dropped),
      };
    }
  }
}

async function fail(
  db: Db,
  source: Source,
  startedAt: Date,
  mode: SyncStatus['mode'],
  error: { code: string; message: string },
): Promise<SyncReport> {
  const previous = source.lastStatus as SyncStatus | null;
  const status: SyncStatus = {
    at: startedAt.toISOString(),
    mode,
    documents: 0,
    retired: 0,
    skipped: 0,
    error,
    // Keep the sitemap's last known pages, so a sync after an outage still retires what was dropped.
    ...(previous?.urls ? { urls: previous.urls } : {}),
  };
  await recordSync(db, source.id, startedAt, status);
  return { source, status, results: [] };
}

async function activeDocuments(db: Db, uris: string[]): Promise<{ id: string; source: string }[]> {
  if (uris.length === 0) return [];
  return db
    .select({ id: documents.id, source: documents.source })
    .from(documents)
    .where(and(eq(documents.status, 'active'), inArray(documents.source, uris)));
}

/** Retires documents (search stops seeing them; their versions stay for history), each in its own transaction. */
export async function retireDocuments(
  db: Db,
  docs: { id: string; source: string }[],
): Promise<{ id: string; source: string }[]> {
  for (const doc of docs) await retireDocument(db, doc.id);
  return docs;
}
