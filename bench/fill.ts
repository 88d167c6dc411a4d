import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../src/db/client.ts';
import { type Embedder } from '../src/knowledge/embed/index.ts';
import { writeEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { ingestSource, type IngestSettings } from '../src/knowledge/ingest.ts';
import { type SourceRef } from '../src/knowledge/sources/read.ts';
import { since } from './stats.ts';

/** Where a fill stopped, so the next size continues with the following files. */
export interface FillState {
  sources: SourceRef[];
  next: number;
  chunks: number;
}

/**
 * Ingests corpus files, in order from `state.next`, with Parley's own `ingestSource` until at least `target`
 * chunks are current. Call it with the search indexes dropped (`dropSearchIndexes`), then rebuild them: keeping
 * an HNSW index up to date row by row is what makes filling 100k chunks slow, not ingest itself.
 */
export async function fillChunks(
  deps: { db: Db; embedder: Embedder },
  state: FillState,
  target: number,
  settings: IngestSettings,
): Promise<void> {
  while (state.chunks < target) {
    const ref = state.sources[state.next];
    if (!ref) throw new Error(`the corpus ran out at ${state.chunks} chunks; build it with more documents`);
    const result = await ingestSource(deps, ref, settings);
    if (result.status !== 'created')
      throw new Error(`${ref.uri}: ${result.status} ${result.error?.message ?? ''}`);
    state.next += 1;
    state.chunks += result.chunks ?? 0;
  }
}

/** Drops the HNSW and full-text indexes before a bulk fill; returns the full-text index's definition. */
export async function dropSearchIndexes(db: Db): Promise<string> {
  const [gin] = await queryRows<{ indexdef: string }>(
    db,
    sql`SELECT indexdef FROM pg_indexes WHERE indexname = 'chunks_tsv_idx'`,
  );
  if (!gin) throw new Error('chunks_tsv_idx is missing: was the database migrated?');
  await db.execute(sql`DROP INDEX IF EXISTS chunks_embedding_hnsw`);
  await db.execute(sql`DROP INDEX chunks_tsv_idx`);
  return gin.indexdef;
}

/**
 * Recreates both indexes exactly as Parley defines them (the migration's GIN index, and the HNSW index from
 * `writeEmbeddingSpace`), then analyzes, as autovacuum would on a server. Only `maintenance_work_mem` is raised,
 * so the graph is built in memory; Parley itself keeps the default when it builds the index.
 */
export async function buildSearchIndexes(
  db: Db,
  ginDefinition: string,
  embedder: Embedder,
  maintenanceWorkMem: string,
): Promise<{ ginSeconds: number; hnswSeconds: number }> {
  let start = performance.now();
  await db.execute(sql.raw(ginDefinition));
  const ginSeconds = since(start) / 1000;
  start = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${maintenanceWorkMem}'`));
    await writeEmbeddingSpace(tx, { model: embedder.model, dimensions: embedder.dimensions });
  });
  const hnswSeconds = since(start) / 1000;
  await db.execute(sql`ANALYZE documents, document_versions, chunks`);
  return { ginSeconds, hnswSeconds };
}
