import { asc, eq, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { documentVersionTexts } from '../db/schema/index.ts';
import { wellFormedText } from '../contracts/well-formed.ts';
import { type PackedTexts, unpackTexts } from './packed-chunks.ts';
import { textParts } from './text-parts.ts';

const letEventLoopRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes a version's text, whole or already cut into packed parts (`textParts`), one part a statement, letting the
 * event loop run between statements. Call it inside the transaction that stores the version, so the version never
 * exists without its text.
 */
export async function writeVersionText(tx: Db, versionId: string, text: string | PackedTexts): Promise<void> {
  const parts = typeof text === 'string' ? textParts(text) : unpackTexts(text);
  let part = 0;
  for (const value of parts) {
    if (part > 0) await letEventLoopRun();
    // A part never ends inside a surrogate pair, so making each storable makes the whole text so.
    await tx.insert(documentVersionTexts).values({ versionId, part, text: wellFormedText(value) });
    part++;
  }
}

/** The whole extracted text of a version (Markdown); empty for a version without text or an unknown id. */
export async function versionText(db: Db, versionId: string): Promise<string> {
  const parts = await db
    .select({ text: documentVersionTexts.text })
    .from(documentVersionTexts)
    .where(eq(documentVersionTexts.versionId, versionId))
    .orderBy(asc(documentVersionTexts.part));
  return parts.map((p) => p.text).join('');
}

/** A version's whole text when it is at most `maxChars` long; undefined when it is longer (read no further). */
export async function versionTextUpTo(
  db: Db,
  versionId: string,
  maxChars: number,
): Promise<string | undefined> {
  const [size] = await db
    .select({ chars: sql<number>`coalesce(sum(length(${documentVersionTexts.text})), 0)::int` })
    .from(documentVersionTexts)
    .where(eq(documentVersionTexts.versionId, versionId));
  if (Number(size?.chars ?? 0) > maxChars) return undefined;
  return versionText(db, versionId);
}
