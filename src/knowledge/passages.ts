import { eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { versionText } from './version-text.ts';

/** A cited passage in its document version, for the page citations of ingested files link to. */
export interface Passage {
  heading: string;
  text: string;
  title: string;
  source: string;
  version: number;
  /** The whole extracted text of the version the passage belongs to. */
  documentText: string;
  /** False when the document has changed since this passage was indexed. */
  current: boolean;
}

/**
 * The passage a citation points at, with its document; undefined once the passage no longer exists or its
 * document is retired. A passage of an older version of a live document stays readable (marked not current),
 * so earlier answers can still be checked; a retired document is withdrawn and is not served at all.
 */
export async function findPassage(db: Db, chunkId: string): Promise<Passage | undefined> {
  const [row] = await db
    .select({
      heading: chunks.heading,
      text: chunks.text,
      title: documents.title,
      source: documents.source,
      currentVersionId: documents.currentVersionId,
      status: documents.status,
      versionId: documentVersions.id,
      version: documentVersions.version,
    })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .innerJoin(documentVersions, eq(documentVersions.id, chunks.versionId))
    .where(eq(chunks.id, chunkId));
  if (!row || row.status === 'retired') return undefined;
  const { currentVersionId, versionId, status: _status, ...passage } = row;
  const documentText = await versionText(db, versionId);
  return { ...passage, documentText, current: currentVersionId === versionId };
}
