import { eq } from 'drizzle-orm';
import type { SynonymGroup, Synonyms } from '../../contracts/synonyms.ts';
import type { Db } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';
import { Vocabulary } from './vocabulary.ts';

// Staff synonyms live in `settings` under this key.
const settingsKey = 'knowledge.synonyms';
// Read on every search, edited rarely: a save clears this replica's copy, others follow within this time.
const cacheTtlMs = 30_000;
const cache = new WeakMap<Db, { vocabulary: Vocabulary; expires: number }>();

interface Stored {
  groups: SynonymGroup[];
}

/** The staff-edited synonym groups and when they were last saved. */
export async function readSynonyms(db: Db): Promise<Synonyms> {
  const [row] = await db.select().from(settings).where(eq(settings.key, settingsKey));
  const stored = row?.value as Stored | undefined;
  return { groups: stored?.groups ?? [], updatedAt: row ? row.updatedAt.toISOString() : null };
}

/** Replaces the staff-edited synonym groups (trimmed, lower-cased, duplicates dropped) and returns them. */
export async function saveSynonyms(db: Db, groups: SynonymGroup[]): Promise<Synonyms> {
  const clean = groups
    .map((g) => [...new Set(g.map((p) => p.trim().toLowerCase().replace(/\s+/g, ' ')).filter(Boolean))])
    .filter((g) => g.length >= 2);
  const value: Stored = { groups: clean };
  await db
    .insert(settings)
    .values({ key: settingsKey, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
  cache.delete(db);
  return readSynonyms(db);
}

/** The vocabulary searches use: the built-in support synonyms plus the staff's, cached briefly per database. */
export async function vocabularyFor(db: Db): Promise<Vocabulary> {
  const cached = cache.get(db);
  if (cached && cached.expires > Date.now()) return cached.vocabulary;
  const { groups } = await readSynonyms(db);
  const vocabulary = new Vocabulary(groups);
  cache.set(db, { vocabulary, expires: Date.now() + cacheTtlMs });
  return vocabulary;
}
