import path from 'node:path';
import { and, desc, eq, sql } from 'drizzle-orm';
import { wellFormedJson, wellFormedText } from '../contracts/well-formed.ts';
import { type Db } from '../db/client.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { unpackVector } from './embed/local.ts';
import type { ExtractedDocument } from './extract/index.ts';
import type { IngestResult } from './ingest.ts';
import type { PackedTexts } from './packed-chunks.ts';
import type { SourceRef } from './sources/read.ts';
import { clearCurrentChunks, limitIndexMerges, setCurrentChunks } from './current-chunks.ts';
import { readEmbeddingSpace } from './embedding-space.ts';
import { writeVersionText } from './version-text.ts';

// Storing document versions and switching which one is current: the writes behind ingestion, rollback and
// retirement. A version becomes current only with all its chunks and its text, in one transaction.

export interface PreparedChunk {
  ordinal: number;
  headingPath: string[];
  heading: string;
  text: string;
  tokenCount: number;
  /** The vector, or a view of `LocalEmbedder.embedPacked`'s output, unpacked only when its statement is built. */
  embedding: number[] | Float32Array;
}

/** An extracted document without its text: what a version records besides its text and chunks. */
export type DocumentHeader = Omit<ExtractedDocument, 'blocks'>;

/**
 * A document's chunks, taken a statement's worth at a time (an array will do): a large document's chunks can then
 * stay packed until their statement is built.
 */
export interface ChunkSource {
  readonly length: number;
  slice(start: number, end: number): PreparedChunk[];
}

export interface StoreInput {
  ref: SourceRef;
  hash: string;
  doc: DocumentHeader;
  /** The version's text (Markdown): whole, or in the packed parts the preparation thread cut. */
  text: string | PackedTexts;
  prepared: ChunkSource;
  embeddingModel: string;
  kind: string | undefined;
  product: string | undefined;
}

// Every text is made storable before its statement: a NUL or a lone surrogate anywhere in a document (a late `\0`
// in an upload) would otherwise fail the insert, and the error would carry the whole document back to the caller.
// Chunks and the version text are made so a statement at a time (`storableChunk`, `writeVersionText`).

function storableHeader(input: StoreInput): StoreInput {
  const text = (value: string | undefined) => (value === undefined ? value : wellFormedText(value));
  return {
    ...input,
    ref: { ...input.ref, uri: wellFormedText(input.ref.uri) },
    doc: wellFormedJson(input.doc) as DocumentHeader,
    kind: text(input.kind),
    product: text(input.product),
  };
}

function storableChunk(c: PreparedChunk): PreparedChunk {
  return {
    ...c,
    headingPath: c.headingPath.map(wellFormedText),
    heading: wellFormedText(c.heading),
    text: wellFormedText(c.text),
  };
}

// An embedded database (PGlite) runs each statement on this thread, and inside a transaction its queries settle as
// microtasks: a server would answer nothing until the whole version is stored. A chunk costs about 1-2 ms to
// insert there (its vector and full-text index entries, mostly), so chunks go in small batches and the event loop
// runs between them; a Postgres server sees a few more round trips, which cost little next to the inserts.
// At ten a statement, all but a few statements of a 10,000-chunk document stay well under 100 ms on a loaded
// 2-core machine (bench/RESULTS.md, "Hostile uploads").
const chunksPerInsert = 10;

const letEventLoopRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Refuses vectors of another length than the knowledge base's embedding space, batch by batch as they are
 * stored: the vector index leaves them out (its predicate names the dimensions), so such a chunk would be stored
 * but never found.
 */
function checkDimensions(batch: PreparedChunk[], dimensions: number): void {
  const wrong = batch.find((c) => c.embedding.length !== dimensions);
  if (wrong) {
    throw new Error(
      `Chunk ${wrong.ordinal} has a vector of ${wrong.embedding.length} dimensions; the knowledge base uses ` +
        `${dimensions}.`,
    );
  }
}

export async function storeVersion(db: Db, raw: StoreInput): Promise<IngestResult> {
  const input = storableHeader(raw);
  const { ref, hash, doc, prepared } = input;
  return db.transaction(async (tx) => {
    // Serialise writers of the same source (several workers, or a user re-running ingest).
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7234613, hashtext(${ref.uri}))`);
    await limitIndexMerges(tx);
    const dimensions = (await readEmbeddingSpace(tx))?.dimensions;
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
        metadata: { ...doc.metadata, format: doc.format },
        chunkCount: prepared.length,
        embeddingModel: input.embeddingModel,
        indexedAt: new Date(),
      })
      .returning();
    await writeVersionText(tx, version!.id, input.text);
    await clearCurrentChunks(tx, document!.id);
    for (let i = 0; i < prepared.length; i += chunksPerInsert) {
      if (i > 0) await letEventLoopRun();
      const batch = prepared.slice(i, i + chunksPerInsert).map(storableChunk);
      if (dimensions !== undefined) checkDimensions(batch, dimensions);
      await tx.insert(chunks).values(
        batch.map((c) => ({
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
          embedding: Array.isArray(c.embedding) ? c.embedding : unpackVector(c.embedding),
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

export interface KnownVersion {
  documentId: string;
  versionId: string;
  version: number;
  isCurrent: boolean;
  source: string;
}

export async function findVersionByHash(
  db: Db,
  source: string,
  hash: string,
): Promise<KnownVersion | undefined> {
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
export async function restoreVersion(db: Db, known: KnownVersion): Promise<IngestResult> {
  await makeVersionCurrent(db, known.documentId, known.versionId);
  return { source: known.source, status: 'restored', documentId: known.documentId, version: known.version };
}

/** Switches a document's current version (and the chunks search sees) in one transaction. */
export async function makeVersionCurrent(db: Db, documentId: string, versionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await limitIndexMerges(tx);
    await clearCurrentChunks(tx, documentId);
    await setCurrentChunks(tx, versionId);
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

/** Retires a document: it leaves search at once; its versions stay for history and rollback. */
export async function retireDocument(db: Db, documentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await clearCurrentChunks(tx, documentId);
    await tx
      .update(documents)
      .set({ status: 'retired', retiredAt: new Date(), updatedAt: new Date() })
      .where(eq(documents.id, documentId));
  });
}

/** Active documents ingested from files under `folder` that are not among `seen` (the files there now). */
export async function goneFromFolder(
  db: Db,
  folder: string,
  seen: Set<string>,
): Promise<{ id: string; source: string }[]> {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  const under = await db
    .select({ id: documents.id, source: documents.source })
    .from(documents)
    .where(and(eq(documents.status, 'active'), sql`starts_with(${documents.source}, ${prefix})`));
  return under.filter((d) => !seen.has(d.source));
}
