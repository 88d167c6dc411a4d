import { and, asc, between, eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { versionTextUpTo } from './version-text.ts';

/** A cited passage in its document version, for the page citations of ingested files link to. */
export interface Passage {
  heading: string;
  text: string;
  title: string;
  source: string;
  version: number;
  /**
   * The passage in its document: the version's whole extracted text, or for a very long document only the
   * passages around this one (a page of megabytes helps nobody).
   */
  context: { whole: boolean; text: string };
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
      ordinal: chunks.ordinal,
    })
    .from(chunks)
    .innerJoin(documents, eq(documents.id, chunks.documentId))
    .innerJoin(documentVersions, eq(documentVersions.id, chunks.versionId))
    .where(eq(chunks.id, chunkId));
  if (!row || row.status === 'retired') return undefined;
  const { currentVersionId, versionId, ordinal, status: _status, ...passage } = row;
  const whole = await versionTextUpTo(db, versionId, maxWholeChars);
  const context =
    whole === undefined
      ? { whole: false, text: await neighbourText(db, versionId, ordinal) }
      : { whole: true, text: whole };
  return { ...passage, context, current: currentVersionId === versionId };
}

// Documents up to this long are shown whole beside a passage; longer ones show the passages around it.
const maxWholeChars = 131_072;
// Passages on each side of the cited one, for a long document.
const neighbours = 3;

async function neighbourText(db: Db, versionId: string, ordinal: number): Promise<string> {
  const rows = await db
    .select({ text: chunks.text })
    .from(chunks)
    .where(
      and(
        eq(chunks.versionId, versionId),
        between(chunks.ordinal, ordinal - neighbours, ordinal + neighbours),
      ),
    )
    .orderBy(asc(chunks.ordinal));
  return rows.map((r) => r.text).reduce((text, next) => `${text}\n\n${withoutOverlap(text, next)}`);
}

// A split section's chunks repeat the last sentences of the one before (see `chunkDocument`); shown side by
// side, the repeat is dropped. The longest run of words ending one chunk and starting the next is the overlap
// (the chunker re-joins those sentences with single spaces, so words are compared, not characters).
const minOverlapWords = 3;
const maxOverlapWords = 400;

export function withoutOverlap(before: string, next: string): string {
  const tail = before.split(/\s+/).filter(Boolean).slice(-maxOverlapWords);
  const words = [...next.matchAll(/\S+/g)].slice(0, maxOverlapWords);
  for (let k = Math.min(tail.length, words.length); k >= minOverlapWords; k--) {
    if (words.slice(0, k).every((w, i) => w[0] === tail[tail.length - k + i])) {
      const last = words[k - 1]!;
      return next.slice(last.index + last[0].length).trimStart();
    }
  }
  return next;
}
