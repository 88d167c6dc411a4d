import { asc, count, eq, gt, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { chunks, documentVersions } from '../db/schema/index.ts';
import { type Embedder } from './embed/embedder.ts';
import { readEmbeddingSpace, writeEmbeddingSpace } from './embedding-space.ts';
import { contextualText } from './ingest.ts';

export interface ReindexResult {
  from: string | undefined;
  to: string;
  chunks: number;
}

/**
 * Re-embeds every stored chunk (all versions, so rollback keeps working) with `embedder` and records its
 * space. One transaction: searches see the old space until the new one is complete.
 */
export async function reindexKnowledge(
  db: Db,
  embedder: Embedder,
  onProgress?: (done: number) => void,
): Promise<ReindexResult> {
  const before = await readEmbeddingSpace(db);
  let done = 0;
  await db.transaction(async (tx) => {
    // The index is typed to the old dimensions; rebuilt at the end for the new ones.
    await tx.execute(sql`DROP INDEX IF EXISTS chunks_embedding_hnsw`);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await tx
        .select({
          id: chunks.id,
          text: chunks.text,
          headingPath: chunks.headingPath,
          title: documentVersions.title,
        })
        .from(chunks)
        .innerJoin(documentVersions, eq(documentVersions.id, chunks.versionId))
        .where(gt(chunks.id, after))
        .orderBy(asc(chunks.id))
        .limit(256);
      if (batch.length === 0) break;
      const vectors = await embedder.embed(batch.map((c) => contextualText(c.title, c.headingPath, c.text)));
      for (let i = 0; i < batch.length; i++) {
        await tx.update(chunks).set({ embedding: vectors[i]! }).where(eq(chunks.id, batch[i]!.id));
      }
      after = batch.at(-1)!.id;
      done += batch.length;
      onProgress?.(done);
    }
    // The HNSW index is rebuilt for the new dimensions and fails on any vector left in the old space.
    const [left] = await tx
      .select({ n: count() })
      .from(chunks)
      .where(sql`vector_dims(${chunks.embedding}) <> ${embedder.dimensions}`);
    if ((left?.n ?? 0) > 0) throw new Error(`${left!.n} chunks were not re-embedded; nothing was changed`);
    await writeEmbeddingSpace(tx, { model: embedder.model, dimensions: embedder.dimensions });
    await tx.update(documentVersions).set({ embeddingModel: embedder.model });
  });
  return { from: before?.model, to: embedder.model, chunks: done };
}
