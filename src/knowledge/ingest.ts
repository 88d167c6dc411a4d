import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { type Db, queryRows } from '../db/client.ts';
import { products } from '../db/schema/index.ts';
import { type Chunk, type ChunkOptions } from './chunk.ts';
import { type Embedder } from './embed/embedder.ts';
import { LocalEmbedder } from './embed/local.ts';
import {
  createVectorIndex,
  dropVectorIndex,
  ensureEmbeddingSpace,
  EmbeddingSpaceMismatch,
} from './embedding-space.ts';
import { documentType, documentTypeFromPath } from './extract/document-type.ts';
import { defaultExtractionLimits, ExtractionError, type ExtractionLimits } from './extract/index.ts';
import { type PackedChunks, packedChunkCount, unpackChunks } from './packed-chunks.ts';
import { contextualText } from './prepare.ts';
import { prepareOffThread } from './prepare-pool.ts';
import { readSource, resolveInputs, type SourceRef } from './sources/read.ts';
import {
  type ChunkSource,
  findVersionByHash,
  goneFromFolder,
  type PreparedChunk,
  restoreVersion,
  retireDocument,
  storeVersion,
} from './store.ts';

const sourcesPerCommit = 20;

export interface IngestDeps {
  db: Db;
  embedder: Embedder;
}

/** Ingestion settings from the configuration (size and time limits, chunking). */
export function ingestSettings(config: Pick<Config, 'ingest' | 'fetchAllowHosts'>): IngestSettings {
  return {
    maxFileBytes: config.ingest.maxFileBytes,
    fetchTimeoutMs: config.ingest.fetchTimeoutMs,
    chunk: { maxTokens: config.ingest.chunkTokens, overlapTokens: config.ingest.overlapTokens },
    limits: config.ingest.limits,
    fetchAllowHosts: config.fetchAllowHosts,
  };
}

export interface IngestSettings {
  maxFileBytes: number;
  fetchTimeoutMs: number;
  chunk: ChunkOptions;
  /** How far one document may expand; the defaults of `src/config.ts` when absent. */
  limits?: ExtractionLimits | undefined;
  /** Hosts the operator allows URL ingestion to reach even at private or loopback addresses. */
  fetchAllowHosts?: string[] | undefined;
}

export type IngestStatus = 'created' | 'updated' | 'unchanged' | 'restored' | 'failed' | 'retired';

export interface IngestResult {
  source: string;
  status: IngestStatus;
  documentId?: string;
  version?: number;
  chunks?: number;
  error?: { code: string; message: string };
}

export interface IngestReport {
  results: IngestResult[];
  /** Files in walked folders that Parley cannot read, left alone. */
  skipped: string[];
  failed: number;
  chunks: number;
}

export interface IngestRunOptions {
  /** Retire documents that were ingested from a given folder but are no longer in it. */
  prune?: boolean;
  onResult?: (result: IngestResult, done: number, total: number) => void;
}

/**
 * Ingests files, folders and URLs. Each source is read, extracted, chunked and embedded, then stored as a new
 * version that becomes current in the same transaction; a failure leaves nothing behind for that source and
 * the others go on. Unchanged sources do no work.
 */
export async function ingestInputs(
  deps: IngestDeps,
  inputs: string[],
  settings: IngestSettings,
  options: IngestRunOptions = {},
): Promise<IngestReport> {
  const space = await ensureEmbeddingSpace(deps.db, deps.embedder);
  const resolved = await resolveInputs(inputs);
  const deferIndex = await shouldDeferVectorIndex(deps.db, resolved.sources.length);
  if (deferIndex) await dropVectorIndex(deps.db);
  const productNames = await loadProductNames(deps.db);
  const results: IngestResult[] = resolved.missing.map(({ uri, error }) => failure(uri, error));
  const total = resolved.sources.length + results.length;
  results.forEach((r, i) => options.onResult?.(r, i + 1, total));
  // Sources are committed in groups: one commit per source costs more than the writes themselves on PGlite.
  // Each source still runs in its own savepoint, so a failure rolls back that source alone.
  try {
    for (let i = 0; i < resolved.sources.length; i += sourcesPerCommit) {
      const group = resolved.sources.slice(i, i + sourcesPerCommit);
      const groupResults = await deps.db.transaction(async (tx) => {
        const out: IngestResult[] = [];
        for (const ref of group)
          out.push(await ingestSource({ ...deps, db: tx }, ref, settings, productNames));
        return out;
      });
      for (const result of groupResults) {
        results.push(result);
        options.onResult?.(result, results.length, total);
      }
    }
  } finally {
    if (deferIndex) await createVectorIndex(deps.db, space.dimensions);
  }
  if (options.prune) {
    const seen = new Set(resolved.sources.map((s) => s.uri));
    for (const folder of resolved.folders) {
      for (const retired of await retireMissing(deps.db, folder, seen)) {
        const result: IngestResult = { source: retired.source, status: 'retired', documentId: retired.id };
        results.push(result);
        options.onResult?.(result, results.length, results.length);
      }
    }
  }
  return {
    results,
    skipped: resolved.skipped,
    failed: results.filter((r) => r.status === 'failed').length,
    chunks: results.reduce(
      (n, r) => n + (r.status === 'created' || r.status === 'updated' ? (r.chunks ?? 0) : 0),
      0,
    ),
  };
}

// A load of at least this many sources into a knowledge base holding fewer chunks than about two per incoming
// source builds the vector index once at the end instead of updating it on every insert (about 40 % of ingest
// time on PGlite, 30 % on the server; bench/RESULTS.md). Searches meanwhile scan the still small table exactly.
const bulkSources = 200;
const bulkChunksPerSource = 2;

async function shouldDeferVectorIndex(db: Db, sources: number): Promise<boolean> {
  if (sources < bulkSources) return false;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM chunks WHERE is_current`,
  );
  return Number(row?.n ?? 0) < sources * bulkChunksPerSource;
}

/** Ingests one source; expected failures come back as a `failed` result, never half-stored. */
export async function ingestSource(
  deps: IngestDeps,
  ref: SourceRef,
  settings: IngestSettings,
  productNames: ProductName[] = [],
): Promise<IngestResult> {
  try {
    const raw = await readSource(ref, {
      maxBytes: settings.maxFileBytes,
      fetchTimeoutMs: settings.fetchTimeoutMs,
      allowHosts: settings.fetchAllowHosts,
    });
    const hash = crypto.createHash('sha256').update(raw.bytes).digest('hex');
    const known = await findVersionByHash(deps.db, ref.uri, hash);
    if (known?.isCurrent) {
      return { source: ref.uri, status: 'unchanged', documentId: known.documentId, version: known.version };
    }
    if (known) return await restoreVersion(deps.db, known);
    // Extraction and chunking are CPU-bound and a hostile file can make them slow: off the event loop. So is
    // the local embedder, which needs nothing but the text: it runs there too.
    const local = deps.embedder instanceof LocalEmbedder;
    const { doc, text, chunks, embeddings } = await prepareOffThread(raw, {
      chunk: settings.chunk,
      limits: settings.limits ?? defaultExtractionLimits,
      localEmbedding: local ? { dimensions: deps.embedder.dimensions } : undefined,
    });
    const prepared = embeddings
      ? withPackedEmbeddings(chunks, embeddings, deps.embedder.dimensions)
      : await embedChunks(deps.embedder, doc.title, chunks);
    return await storeVersion(deps.db, {
      ref,
      hash,
      doc,
      text,
      prepared,
      embeddingModel: deps.embedder.model,
      kind:
        documentType(doc.metadata.type) ?? (ref.root ? documentTypeFromPath(ref.root, ref.uri) : undefined),
      product: doc.metadata.product ?? matchProduct(doc.title, productNames),
    });
  } catch (error) {
    if (error instanceof EmbeddingSpaceMismatch) throw error;
    return failure(ref.uri, error);
  }
}

const embedBatch = 64;

/** Embeds packed chunks with a model embedder, a batch at a time (a batch is one request to the model). */
async function embedChunks(
  embedder: Embedder,
  title: string,
  packed: PackedChunks,
): Promise<PreparedChunk[]> {
  const prepared: PreparedChunk[] = [];
  // Letting the event loop run between batches: a document of thousands of chunks would otherwise hold every
  // other request while its texts are decoded and its answers parsed.
  for (let i = 0; i < packedChunkCount(packed); i += embedBatch) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const pieces = unpackChunks(packed, i, i + embedBatch);
    const embeddings = await embedder.embed(pieces.map((c) => contextualText(title, c.headingPath, c.text)));
    prepared.push(...pieces.map((c, k) => withHeading(c, embeddings[k]!)));
  }
  return prepared;
}

function withHeading(c: Chunk, embedding: PreparedChunk['embedding']): PreparedChunk {
  return { ...c, heading: c.headingPath.join(' > '), embedding };
}

/**
 * Chunks that stay packed, as the preparation thread handed them over, with their vectors (a view each of its
 * buffer): the store decodes them a statement at a time, so a large document costs this thread no long pause.
 */
function withPackedEmbeddings(packed: PackedChunks, vectors: Float32Array, dimensions: number): ChunkSource {
  return {
    length: packedChunkCount(packed),
    slice: (start, end) =>
      unpackChunks(packed, start, end).map((c, k) =>
        withHeading(c, vectors.subarray((start + k) * dimensions, (start + k + 1) * dimensions)),
      ),
  };
}

export { contextualText };

/**
 * Ingests uploaded files (name and bytes) as `upload://<name>` sources, each all-or-nothing; uploading a
 * file with the same name again makes a new version of that document.
 */
export async function ingestUploads(
  deps: IngestDeps,
  files: { name: string; bytes: Uint8Array }[],
  settings: IngestSettings,
): Promise<IngestResult[]> {
  await ensureEmbeddingSpace(deps.db, deps.embedder);
  const productNames = await loadProductNames(deps.db);
  const results: IngestResult[] = [];
  for (const file of files) {
    const ref: SourceRef = { uri: uploadUri(file.name), kind: 'upload', bytes: file.bytes };
    results.push(
      await deps.db.transaction((tx) => ingestSource({ ...deps, db: tx }, ref, settings, productNames)),
    );
  }
  return results;
}

/** The source of an uploaded file: its base name, made safe, under `upload://`. */
export function uploadUri(name: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[^\w.\- ]+/g, '_')
    .trim()
    .slice(0, 200);
  return `upload://${base || 'document'}`;
}

async function retireMissing(
  db: Db,
  folder: string,
  seen: Set<string>,
): Promise<{ id: string; source: string }[]> {
  const gone = await goneFromFolder(db, folder, seen);
  for (const doc of gone) await retireDocument(db, doc.id);
  return gone;
}

/** The first folder under the ingested root names the document type: guides/ → guide. */
export interface ProductName {
  sku: string;
  name: string;
}

export async function loadProductNames(db: Db): Promise<ProductName[]> {
  return db.select({ sku: products.sku, name: products.name }).from(products);
}

/** The product a document is about, when its title names one (longest name wins). */
function matchProduct(title: string, names: ProductName[]): string | undefined {
  const t = title.toLowerCase();
  return names
    .filter((p) => t.includes(p.sku.toLowerCase()) || t.includes(p.name.toLowerCase()))
    .sort((a, b) => b.name.length - a.name.length)[0]?.sku;
}

function failure(source: string, error: unknown): IngestResult {
  if (error instanceof ExtractionError) {
    return { source, status: 'failed', error: { code: error.code, message: error.message } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { source, status: 'failed', error: { code: 'failed', message: `${source}: ${message}` } };
}
