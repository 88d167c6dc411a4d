import { eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { settings } from '../db/schema/index.ts';
import { type Embedder, type EmbeddingSpace } from './embed/embedder.ts';

const key = 'embedding';

/** Raised when the active embedder differs from the space the stored vectors live in. */
export class EmbeddingSpaceMismatch extends Error {
  constructor(stored: EmbeddingSpace, active: EmbeddingSpace) {
    super(
      `The knowledge base is embedded with ${stored.model} (${stored.dimensions} dimensions) but the active ` +
        `embedder is ${active.model} (${active.dimensions}). Run \`parley reindex\` to re-embed everything with ` +
        `the active embedder, or restore the previous embedding settings.`,
    );
    this.name = 'EmbeddingSpaceMismatch';
  }
}

export async function readEmbeddingSpace(db: Db): Promise<EmbeddingSpace | undefined> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value as EmbeddingSpace | undefined;
}

/**
 * How long a process trusts its copy of the recorded space. A change made in this process (a reindex, a restore)
 * is seen at once; one made by another process sharing the database, within this time.
 */
export const embeddingSpaceMaxAgeMs = 5_000;

// Bumped by every write in this process, so copies read before it are not used again.
let spaceGeneration = 0;
const recentSpaces = new WeakMap<Db, { space: EmbeddingSpace; generation: number; readAt: number }>();

/**
 * The recorded space as a search needs it: read once per `embeddingSpaceMaxAgeMs` per database handle rather
 * than on every search (it changes only with a reindex). An empty knowledge base is not remembered, so the first
 * ingestion is seen at once. Use `readEmbeddingSpace` where the answer must be exact (in a write's transaction).
 */
export async function recentEmbeddingSpace(db: Db, now = Date.now()): Promise<EmbeddingSpace | undefined> {
  const copy = recentSpaces.get(db);
  if (copy && copy.generation === spaceGeneration && now - copy.readAt < embeddingSpaceMaxAgeMs) {
    return copy.space;
  }
  const generation = spaceGeneration;
  const space = await readEmbeddingSpace(db);
  // A write while this read ran may or may not be in it: keep nothing then.
  if (space && generation === spaceGeneration) recentSpaces.set(db, { space, generation, readAt: now });
  return space;
}

/**
 * Checks that `embedder` matches the recorded space; on an empty knowledge base, records it and creates the
 * vector index for its dimensions.
 */
export async function ensureEmbeddingSpace(db: Db, embedder: Embedder): Promise<EmbeddingSpace> {
  const active = { model: embedder.model, dimensions: embedder.dimensions };
  const stored = await readEmbeddingSpace(db);
  if (stored) {
    if (stored.model !== active.model || stored.dimensions !== active.dimensions) {
      throw new EmbeddingSpaceMismatch(stored, active);
    }
    // A bulk load builds the index at its end; if it was interrupted first, the index is rebuilt here.
    if (!(await vectorIndexExists(db))) await createVectorIndex(db, stored.dimensions);
    return stored;
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7234612)`);
    if (await readEmbeddingSpace(tx)) return;
    await writeEmbeddingSpace(tx, active);
  });
  return (await readEmbeddingSpace(db))!;
}

/** Records the space and (re)creates the HNSW index over current chunks for its dimensions. */
export async function writeEmbeddingSpace(db: Db, space: EmbeddingSpace): Promise<void> {
  spaceGeneration++;
  await db
    .insert(settings)
    .values({ key, value: space })
    .onConflictDoUpdate({ target: settings.key, set: { value: space, updatedAt: new Date() } });
  await db.execute(sql`DROP INDEX IF EXISTS chunks_embedding_hnsw`);
  await createVectorIndex(db, space.dimensions);
}

/**
 * The HNSW index over current chunks, as an expression index cast to the space's dimensions. Its predicate
 * names the dimensions too: an index build also reads row versions that are dead but may still be seen (rows a
 * re-embedding just updated, when the update could not stay on its page), and casting one of those old vectors
 * to the new dimensions would fail the build. Searches repeat the predicate (`vectorIndexPredicate`).
 */
export async function createVectorIndex(db: Db, dimensions: number): Promise<void> {
  await db.execute(
    sql.raw(
      `CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw ON chunks USING hnsw ` +
        `((embedding::vector(${dimensions})) vector_cosine_ops) WITH (m = 16, ef_construction = 64) ` +
        `WHERE ${vectorIndexPredicate('', dimensions)}`,
    ),
  );
}

/** The vector index's predicate, for the chunks table under `alias` (with its dot, or ''). */
export function vectorIndexPredicate(alias: string, dimensions: number): string {
  return `${alias}is_current AND vector_dims(${alias}embedding) = ${Math.trunc(dimensions)}`;
}

export async function dropVectorIndex(db: Db): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS chunks_embedding_hnsw`);
}

export async function vectorIndexExists(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ t: string | null }>(
    db,
    sql`SELECT to_regclass('chunks_embedding_hnsw')::text AS t`,
  );
  return Boolean(row?.t);
}

/** Whether any vectors are stored at all. */
export async function hasEmbeddings(db: Db): Promise<boolean> {
  const rows = await queryRows(db, sql`SELECT 1 FROM chunks LIMIT 1`);
  return rows.length > 0;
}
