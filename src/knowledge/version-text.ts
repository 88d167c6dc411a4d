import { asc, eq, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { documentVersionTexts } from '../db/schema/index.ts';

// A version's text is stored in parts (`document_version_texts`): an embedded database compresses and writes a
// value on the server's thread, about 2 s for a 12 MB text under load, while a part of this size takes
// milliseconds and the event loop runs between parts.
const partChars = 65_536;

const letEventLoopRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `text` cut into consecutive parts of at most `size` UTF-16 units, never between a surrogate pair's halves. */
export function textParts(text: string, size = partChars): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * Writes a version's text, one part a statement, letting the event loop run between statements. Call it inside
 * the transaction that stores the version, so the version never exists without its text.
 */
export async function writeVersionText(tx: Db, versionId: string, text: string): Promise<void> {
  const parts = textParts(text);
  for (const [part, value] of parts.entries()) {
    if (part > 0) await letEventLoopRun();
    await tx.insert(documentVersionTexts).values({ versionId, part, text: value });
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
