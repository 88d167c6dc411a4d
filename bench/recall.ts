import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '../src/db/client.ts';
import { vectorIndexPredicate } from '../src/knowledge/embedding-space.ts';
import { type LatencyStats, latencyStats, mean, medianStats, round, since, timedPasses } from './stats.ts';

interface Neighbour {
  id: string;
  distance: number;
}

// Distances of the same row are computed by the same expression in both queries; this only absorbs float noise.
const tieTolerance = 1e-6;

function nearestQuery(vector: number[], dims: number, k: number): SQL {
  const literal = `[${vector.join(',')}]`;
  const cast = sql.raw(`::vector(${dims})`);
  // The shape of searchKnowledge's vector query, without the documents join, so only the index decides.
  return sql`SELECT id, embedding${cast} <=> ${literal}${cast} AS distance FROM chunks
    WHERE ${sql.raw(vectorIndexPredicate('', dims))} ORDER BY embedding${cast} <=> ${literal}${cast} LIMIT ${k}`;
}

/** searchKnowledge's vector query as it stands (join, 40 candidates), for checking which plan it gets. */
export function searchShapedQuery(vector: number[], dims: number): SQL {
  const literal = `[${vector.join(',')}]`;
  const cast = sql.raw(`::vector(${dims})`);
  return sql`SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id
    WHERE ${sql.raw(vectorIndexPredicate('c.', dims))} ORDER BY c.embedding${cast} <=> ${literal}${cast} LIMIT 40`;
}

/** The true top-k, by a sequential scan: index and bitmap scans are switched off for this transaction. */
export async function exactNeighbours(db: Db, vector: number[], dims: number, k = 10): Promise<Neighbour[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_indexscan = off`);
    await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
    return toNeighbours(await queryRows(tx, nearestQuery(vector, dims, k)));
  });
}

/**
 * The HNSW top-k at a given `hnsw.ef_search`, set per transaction as searchKnowledge does. Sequential scans are
 * switched off because on small tables, or at high ef_search, the planner may choose one, which would measure
 * exact search instead of the index; `planUsesHnsw` reports what the planner picks when left alone.
 */
export async function approximateNeighbours(
  db: Db,
  vector: number[],
  dims: number,
  efSearch: number,
  k = 10,
): Promise<Neighbour[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${efSearch}`));
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    return toNeighbours(await queryRows(tx, nearestQuery(vector, dims, k)));
  });
}

function toNeighbours(rows: Record<string, unknown>[]): Neighbour[] {
  return rows.map((r) => ({ id: String(r.id), distance: Number(r.distance) }));
}

/**
 * Whether the planner uses the HNSW index for the approximate query at this `hnsw.ef_search` (pgvector costs
 * the index scan by it). A sequential scan is exact: recall 1.0 then says nothing about the index.
 */
export async function planUsesHnsw(db: Db, query: SQL, efSearch: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${efSearch}`));
    const plan = await queryRows<Record<string, string>>(tx, sql`EXPLAIN ${query}`);
    return plan.some((r) => Object.values(r).join('').includes('chunks_embedding_hnsw'));
  });
}

/**
 * Share of the exact top-k the approximate top-k found, three ways. `tieAware`: a hit is any returned row at
 * most as far as the k-th true neighbour, so rows tied on distance count whichever of them is returned. `ids`:
 * plain id overlap. `passages`: share of the corpus passages behind the true top-k that the returned rows also
 * come from, i.e. how much content is missed rather than swapped for a near-duplicate copy.
 */
export function recallAtK(approximate: Neighbour[], exact: Neighbour[], passageOf: (id: string) => string) {
  const k = exact.length;
  if (k === 0) return { tieAware: 1, ids: 1, passages: 1 };
  const kth = exact[k - 1]!.distance + tieTolerance;
  const exactIds = new Set(exact.map((n) => n.id));
  const exactPassages = new Set(exact.map((n) => passageOf(n.id)));
  const foundPassages = new Set(approximate.map((n) => passageOf(n.id)));
  return {
    tieAware: Math.min(approximate.filter((n) => n.distance <= kth).length, k) / k,
    ids: approximate.filter((n) => exactIds.has(n.id)).length / k,
    passages: [...exactPassages].filter((p) => foundPassages.has(p)).length / exactPassages.size,
  };
}

/** Adds to `known` the corpus passage of each chunk id: its file name without the copy prefix (corpus.ts). */
async function lookUpPassages(db: Db, lists: Neighbour[][], known: Map<string, string>): Promise<void> {
  const missing = [...new Set(lists.flat().map((n) => n.id))].filter((id) => !known.has(id));
  if (missing.length === 0) return;
  const rows = await queryRows<{ id: string; source: string }>(
    db,
    sql`SELECT c.id, d.source FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id = ANY(string_to_array(${missing.join(',')}, ',')::uuid[])`,
  );
  for (const r of rows) known.set(String(r.id), path.basename(r.source).replace(/^\d+-/, ''));
}

export interface EfResult extends LatencyStats {
  efSearch: number;
  plan: 'HNSW' | 'seq scan';
  recall: number;
  recallIds: number;
  recallPassages: number;
  passes: number;
}

/**
 * For each `hnsw.ef_search`, recall@10 of the HNSW query against exact search, and its own latency in ms per
 * query (medians over up to `runs` passes within `budgetMs`). Also times the exact query itself, once.
 */
export async function sweepEfSearch(
  db: Db,
  vectors: number[][],
  dims: number,
  efValues: number[],
  runs: number,
  budgetMs: number,
): Promise<{ exact: LatencyStats; sweep: EfResult[] }> {
  const exact: Neighbour[][] = [];
  const exactMs: number[] = [];
  for (const v of vectors) {
    const start = performance.now();
    exact.push(await exactNeighbours(db, v, dims));
    exactMs.push(since(start));
  }
  const passages = new Map<string, string>();
  await lookUpPassages(db, exact, passages);
  const sweep: EfResult[] = [];
  for (const efSearch of efValues) {
    let found: Neighbour[][] = [];
    const latency = await timedPasses(runs, budgetMs, async () => {
      const times: number[] = [];
      found = [];
      for (const v of vectors) {
        const start = performance.now();
        found.push(await approximateNeighbours(db, v, dims, efSearch));
        times.push(since(start));
      }
      return times;
    });
    await lookUpPassages(db, found, passages);
    const recall = found.map((f, i) => recallAtK(f, exact[i]!, (id) => passages.get(id) ?? id));
    const hnsw = await planUsesHnsw(db, nearestQuery(vectors[0]!, dims, 10), efSearch);
    sweep.push({
      efSearch,
      plan: hnsw ? 'HNSW' : 'seq scan',
      recall: round(mean(recall.map((r) => r.tieAware)), 3),
      recallIds: round(mean(recall.map((r) => r.ids)), 3),
      recallPassages: round(mean(recall.map((r) => r.passages)), 3),
      ...latency,
    });
  }
  return { exact: medianStats([latencyStats(exactMs)]), sweep };
}
