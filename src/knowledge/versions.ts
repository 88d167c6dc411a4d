import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { DocumentVersions, DocumentView, VersionView } from '../contracts/documents.ts';
import { type Db } from '../db/client.ts';
import { chunks, type Document, documents, documentVersions } from '../db/schema/index.ts';
import { makeVersionCurrent, retireDocument } from './store.ts';
import { versionText } from './version-text.ts';

export interface DocumentSummary {
  id: string;
  source: string;
  title: string;
  format: string;
  kind: string | null;
  product: string | null;
  status: 'active' | 'retired';
  currentVersion: number | null;
  versions: number;
  chunks: number;
  updatedAt: Date;
}

/** Every document with its current version number and counts, newest change first. */
export async function listDocuments(
  db: Db,
  options: { includeRetired?: boolean } = {},
): Promise<DocumentSummary[]> {
  const rows = await db
    .select({
      id: documents.id,
      source: documents.source,
      title: documents.title,
      format: documents.format,
      kind: documents.kind,
      product: documents.product,
      status: documents.status,
      updatedAt: documents.updatedAt,
      currentVersion: documentVersions.version,
      chunks: documentVersions.chunkCount,
      versions: sql<number>`(SELECT count(*)::int FROM document_versions v WHERE v.document_id = ${documents.id})`,
    })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.currentVersionId))
    .where(options.includeRetired ? undefined : eq(documents.status, 'active'))
    .orderBy(desc(documents.updatedAt), asc(documents.source));
  return rows.map((r) => ({ ...r, currentVersion: r.currentVersion ?? null, chunks: r.chunks ?? 0 }));
}

export class DocumentNotFound extends Error {}

/**
 * Finds a document by id, by source (a path is resolved against the working directory) or by a unique
 * ending of its source, such as a file name.
 */
export async function findDocument(db: Db, ref: string): Promise<Document> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const candidates = [ref];
  if (!/^https?:\/\//i.test(ref)) candidates.push(path.resolve(ref));
  const exact = await db
    .select()
    .from(documents)
    .where(or(...(isUuid ? [eq(documents.id, ref)] : []), ...candidates.map((c) => eq(documents.source, c))))
    .limit(1);
  if (exact[0]) return exact[0];
  const suffix = await db
    .select()
    .from(documents)
    .where(sql`right(${documents.source}, ${ref.length + 1}) = ${'/' + ref}`)
    .limit(2);
  if (suffix.length === 1) return suffix[0]!;
  if (suffix.length > 1)
    throw new DocumentNotFound(`"${ref}" matches several documents; give more of the path`);
  throw new DocumentNotFound(`No document "${ref}"; see \`parley docs list\``);
}

export interface VersionSummary {
  id: string;
  version: number;
  contentHash: string;
  title: string;
  chunkCount: number;
  embeddingModel: string;
  createdAt: Date;
  indexedAt: Date | null;
  current: boolean;
}

export async function listVersions(
  db: Db,
  ref: string,
): Promise<{ document: Document; versions: VersionSummary[] }> {
  const document = await findDocument(db, ref);
  const rows = await db
    .select()
    .from(documentVersions)
    .where(eq(documentVersions.documentId, document.id))
    .orderBy(desc(documentVersions.version));
  return {
    document,
    versions: rows.map((v) => ({
      id: v.id,
      version: v.version,
      contentHash: v.contentHash,
      title: v.title,
      chunkCount: v.chunkCount,
      embeddingModel: v.embeddingModel,
      createdAt: v.createdAt,
      indexedAt: v.indexedAt,
      current: v.id === document.currentVersionId && document.status === 'active',
    })),
  };
}

async function getVersion(db: Db, document: Document, version: number) {
  const [row] = await db
    .select()
    .from(documentVersions)
    .where(and(eq(documentVersions.documentId, document.id), eq(documentVersions.version, version)));
  if (!row) throw new DocumentNotFound(`${document.source} has no version ${version}`);
  return row;
}

/** A unified diff of the extracted text of two versions. */
export async function diffVersions(db: Db, ref: string, from: number, to: number): Promise<string> {
  const document = await findDocument(db, ref);
  const [a, b] = [await getVersion(db, document, from), await getVersion(db, document, to)];
  return createTwoFilesPatch(
    `${document.source}@v${from}`,
    `${document.source}@v${to}`,
    (await versionText(db, a.id)) + '\n',
    (await versionText(db, b.id)) + '\n',
  );
}

/** Makes an older (or newer) version current again; search sees it at once, without re-embedding. */
export async function rollbackDocument(db: Db, ref: string, version: number): Promise<VersionSummary> {
  const document = await findDocument(db, ref);
  const target = await getVersion(db, document, version);
  const [sample] = await db
    .select({ id: chunks.id })
    .from(chunks)
    .where(eq(chunks.versionId, target.id))
    .limit(1);
  if (!sample && target.chunkCount > 0) throw new Error(`Version ${version} has no stored chunks to restore`);
  await makeVersionCurrent(db, document.id, target.id);
  const { versions } = await listVersions(db, document.id);
  return versions.find((v) => v.version === version)!;
}

// The admin API's views of the same: timestamps as ISO strings.

const versionView = (v: VersionSummary): VersionView => ({
  ...v,
  createdAt: v.createdAt.toISOString(),
  indexedAt: v.indexedAt?.toISOString() ?? null,
});

/** Documents for the console, newest change first. */
export async function listDocumentViews(
  db: Db,
  options: { includeRetired?: boolean } = {},
): Promise<DocumentView[]> {
  const rows = await listDocuments(db, options);
  return rows.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() }));
}

/** A document and its versions, newest first, for the console. */
export async function getDocumentVersions(db: Db, ref: string): Promise<DocumentVersions> {
  const { document, versions } = await listVersions(db, ref);
  const { id, source, title, status, format, kind, product } = document;
  return {
    document: { id, source, title, status, format, kind, product },
    versions: versions.map(versionView),
  };
}

/** Rolls a document back (or forward) to `version`, returning that version as the console shows it. */
export async function rollbackDocumentView(db: Db, ref: string, version: number): Promise<VersionView> {
  return versionView(await rollbackDocument(db, ref, version));
}

/** Retires a document found by `ref`: it leaves search; its versions are kept. */
export async function retireDocumentByRef(db: Db, ref: string): Promise<void> {
  const document = await findDocument(db, ref);
  await retireDocument(db, document.id);
}
