import crypto from 'node:crypto';
import path from 'node:path';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { chunks, documents, documentVersions, products } from '../db/schema/index.ts';
import { chunkDocument, type ChunkOptions } from './chunk.ts';
import { type Embedder } from './embed/embedder.ts';
import {
  createVectorIndex,
  dropVectorIndex,
  ensureEmbeddingSpace,
  EmbeddingSpaceMismatch,
} from './embedding-space.ts';
import {
  blocksToMarkdown,
  type ExtractedDocument,
  extractDocument,
  ExtractionError,
} from './extract/index.ts';
import { readSource, resolveInputs, type SourceRef } from './sources.ts';

const sourcesPerCommit = 20;

export interface IngestDeps {
  db: Db;
  embedder: Embedder;
}

export interface IngestSettings {
  maxFileBytes: number;
  fetchTimeoutMs: number;
  chunk: ChunkOptions;
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
    });
    const hash = crypto.createHash('sha256').update(raw.bytes).digest('hex');
    const known = await findVersionByHash(deps.db, ref.uri, hash);
    if (known?.isCurrent) {
      return { source: ref.uri, status: 'unchanged', documentId: known.documentId, version: known.version };
    }
    if (known) return await restoreVersion(deps.db, known);
    const doc = await extractDocument(raw);
    const prepared = await prepareVersion(deps.embedder, doc, settings.chunk);
    return await storeVersion(deps.db, {
      ref,
      hash,
      doc,
      prepared,
      embeddingModel: deps.embedder.model,
      kind: doc.metadata.type ?? kindFromFolder(ref),
      product: doc.metadata.product ?? matchProduct(doc.title, productNames),
    });
  } catch (error) {
    if (error instanceof EmbeddingSpaceMismatch) throw error;
    return failure(ref.uri, error);
  }
}

interface PreparedChunk {
  ordinal: number;
  headingPath: string[];
  heading: string;
  text: string;
  tokenCount: number;
  embedding: number[];
}

async function prepareVersion(embedder: Embedder, doc: ExtractedDocument, options: ChunkOptions) {
  const pieces = chunkDocument(doc.title, doc.blocks, options);
  const embeddings = await embedder.embed(
    pieces.map((c) => contextualText(doc.title, c.headingPath, c.text)),
  );
  return pieces.map((c, i): PreparedChunk => ({
    ...c,
    heading: c.headingPath.join(' > '),
    embedding: embeddings[i]!,
  }));
}

/** What gets embedded: the chunk with its title and heading path, so a passage keeps its context. */
export function contextualText(title: string, headingPath: string[], text: string): string {
  return [title, headingPath.join(' > '), text].filter(Boolean).join('\n');
}

interface StoreInput {
  ref: SourceRef;
  hash: string;
  doc: ExtractedDocument;
  prepared: PreparedChunk[];
  embeddingModel: string;
  kind: string | undefined;
  product: string | undefined;
}

async function storeVersion(db: Db, input: StoreInput): Promise<IngestResult> {
  const { ref, hash, doc, prepared } = input;
  return db.transaction(async (tx) => {
    // Serialise writers of the same source (several workers, or a user re-running ingest).
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7234613, hashtext(${ref.uri}))`);
    let [document] = await tx.select().from(documents).where(eq(documents.source, ref.uri));
    if (!document) {
      [document] = await tx
        .insert(documents)
        .values({ source: ref.uri, title: doc.title, format: doc.format })
        .returning();
    }
    const [latest] = await tx
      .select({
        version: documentVersions.version,
        contentHash: documentVersions.contentHash,
        id: documentVersions.id,
      })
      .from(documentVersions)
      .where(eq(documentVersions.documentId, document!.id))
      .orderBy(desc(documentVersions.version))
      .limit(1);
    if (latest?.contentHash === hash && latest.id === document!.currentVersionId) {
      return { source: ref.uri, status: 'unchanged', documentId: document!.id, version: latest.version };
    }
    const [version] = await tx
      .insert(documentVersions)
      .values({
        documentId: document!.id,
        version: (latest?.version ?? 0) + 1,
        contentHash: hash,
        title: doc.title,
        text: blocksToMarkdown(doc.blocks),
        metadata: { ...doc.metadata, format: doc.format },
        chunkCount: prepared.length,
        embeddingModel: input.embeddingModel,
        indexedAt: new Date(),
      })
      .returning();
    await tx
      .update(chunks)
      .set({ isCurrent: false })
      .where(and(eq(chunks.documentId, document!.id), eq(chunks.isCurrent, true)));
    for (let i = 0; i < prepared.length; i += 200) {
      await tx.insert(chunks).values(
        prepared.slice(i, i + 200).map((c) => ({
          versionId: version!.id,
          documentId: document!.id,
          ordinal: c.ordinal,
          headingPath: c.headingPath,
          heading: c.heading,
          text: c.text,
          tokenCount: c.tokenCount,
          isCurrent: true,
          // Title, headings and the words of the page's source path (docs/key-protect?topic=rotate-keys names
          // the product and topic like a title does) weigh above body text.
          tsv: sql`setweight(to_tsvector('english', ${[
            doc.title,
            c.heading,
            (doc.metadata.source ?? '')
              .replace(/^[a-z]+:\/\/[^/]*/i, '')
              .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
              .replace(/[^\p{L}\p{N}]+/gu, ' '),
          ].join(' ')}), 'A') || setweight(to_tsvector('english', ${c.text}), 'B')`,
          embedding: c.embedding,
        })),
      );
    }
    await tx
      .update(documents)
      .set({
        currentVersionId: version!.id,
        title: doc.title,
        format: doc.format,
        kind: input.kind ?? null,
        product: input.product ?? null,
        status: 'active',
        retiredAt: null,
        updatedAt: new Date(),
      })
      .where(eq(documents.id, document!.id));
    return {
      source: ref.uri,
      status: latest ? 'updated' : 'created',
      documentId: document!.id,
      version: version!.version,
      chunks: prepared.length,
    };
  });
}

interface KnownVersion {
  documentId: string;
  versionId: string;
  version: number;
  isCurrent: boolean;
  source: string;
}

async function findVersionByHash(db: Db, source: string, hash: string): Promise<KnownVersion | undefined> {
  const [row] = await db
    .select({
      documentId: documents.id,
      versionId: documentVersions.id,
      version: documentVersions.version,
      currentVersionId: documents.currentVersionId,
      status: documents.status,
    })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(and(eq(documents.source, source), eq(documentVersions.contentHash, hash)))
    .orderBy(desc(documentVersions.version))
    .limit(1);
  if (!row) return undefined;
  return {
    documentId: row.documentId,
    versionId: row.versionId,
    version: row.version,
    isCurrent: row.currentVersionId === row.versionId && row.status === 'active',
    source,
  };
}

/** The source went back to content we already indexed: make that version current again, no re-embedding. */
async function restoreVersion(db: Db, known: KnownVersion): Promise<IngestResult> {
  await makeVersionCurrent(db, known.documentId, known.versionId);
  return { source: known.source, status: 'restored', documentId: known.documentId, version: known.version };
}

/** Switches a document's current version (and the chunks search sees) in one transaction. */
export async function makeVersionCurrent(db: Db, documentId: string, versionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(chunks)
      .set({ isCurrent: false })
      .where(and(eq(chunks.documentId, documentId), eq(chunks.isCurrent, true)));
    await tx.update(chunks).set({ isCurrent: true }).where(eq(chunks.versionId, versionId));
    const [version] = await tx
      .select({ title: documentVersions.title })
      .from(documentVersions)
      .where(eq(documentVersions.id, versionId));
    await tx
      .update(documents)
      .set({
        currentVersionId: versionId,
        title: version!.title,
        status: 'active',
        retiredAt: null,
        updatedAt: new Date(),
      })
      .where(eq(documents.id, documentId));
  });
}

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

/** Retires a document: it leaves search at once; its versions stay for history and rollback. */
export async function retireDocument(db: Db, documentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(chunks).set({ isCurrent: false }).where(eq(chunks.documentId, documentId));
    await tx
      .update(documents)
      .set({ status: 'retired', retiredAt: new Date(), updatedAt: new Date() })
      .where(eq(documents.id, documentId));
  });
}

async function retireMissing(
  db: Db,
  folder: string,
  seen: Set<string>,
): Promise<{ id: string; source: string }[]> {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  const candidates = await db
    .select({ id: documents.id, source: documents.source })
    .from(documents)
    .where(and(eq(documents.status, 'active'), sql`starts_with(${documents.source}, ${prefix})`));
  const gone = candidates.filter((d) => !seen.has(d.source));
  for (const doc of gone) await retireDocument(db, doc.id);
  return gone;
}

/** The first folder under the ingested root names the document type: guides/ → guide. */
function kindFromFolder(ref: SourceRef): string | undefined {
  if (!ref.root) return undefined;
  const rel = path.relative(ref.root, ref.uri).split(path.sep);
  if (rel.length < 2) return undefined;
  return rel[0]!
    .toLowerCase()
    .replace(/ies$/, 'y')
    .replace(/([^s])s$/, '$1');
}

export interface ProductName {
  sku: string;
  name: string;
}

async function loadProductNames(db: Db): Promise<ProductName[]> {
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
