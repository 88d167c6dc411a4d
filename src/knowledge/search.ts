import { sql, type SQL } from 'drizzle-orm';
import { wellFormedText } from '../contracts/well-formed.ts';
import { type Db, queryRows } from '../db/client.ts';
import { type Embedder } from './embed/embedder.ts';
import { EmbeddingSpaceMismatch, recentEmbeddingSpace, vectorIndexPredicate } from './embedding-space.ts';
import { metrics } from '../ops/metrics.ts';
import { currentChunkCount, type Expansion, lexicalCandidates, type Ranked } from './lexical.ts';

export interface SearchOptions {
  /** Chunks to return (default 5). */
  limit?: number;
  /** Only documents about this product SKU. */
  product?: string | undefined;
  /** Only documents of this type (guide, policy, faq, ...). */
  kind?: string | undefined;
  /** Other wordings of the query's concepts (synonyms), searched by full-text at a fraction of their weight. */
  expansions?: Expansion[] | undefined;
}

/** One retrieved passage: the JSON shape of `parley search --json`. */
export interface SearchHit {
  source: string;
  documentId: string;
  versionId: string;
  chunkId: string;
  title: string;
  heading: string;
  score: number;
  text: string;
  /**
   * Cosine similarity of the chunk's vector to the query's. With a model embedder it measures meaning; the local
   * embedder's hashed features make it a fuzzy word overlap.
   */
  similarity?: number;
}

// Reciprocal rank fusion constant; 60 is the usual choice and is not sensitive.
const rrfK = 60;
// The local embedder's hashed word and n-gram features are a fuzzy copy of the lexical signal: they rescue
// typos and word variants but rank worse than BM25 (bench/retrieval.md). With it, a steeper lexical curve keeps
// BM25's order and lets the vector side reorder near-ties and add what BM25 missed. A model embedder carries
// meaning that BM25 lacks and gets an equal say.
const localLexicalK = 10;

/**
 * `hnsw.ef_search` for a knowledge base of `chunks` current chunks, at least the candidate pool. HNSW recall at a
 * fixed ef_search falls as the index grows (0.99 at 10k chunks but 0.76 at 100k with 100; 0.97 at 100k with 800),
 * while a large ef_search on a small table makes the planner prefer an exact sequential scan that is several
 * times slower. So it grows in steps with the table (bench/RESULTS.md, "Search latency and HNSW recall").
 */
export function efSearchFor(chunks: number, pool: number): number {
  const ef = chunks < 20_000 ? 100 : chunks < 50_000 ? 400 : 800;
  return Math.max(ef, pool);
}

/**
 * Hybrid retrieval over current document versions: BM25 over Postgres full-text vectors (title and headings
 * weighted above body text, any query term may match; see lexical.ts) and HNSW vector search, fused by
 * reciprocal rank.
 */
export async function searchKnowledge(
  deps: { db: Db; embedder: Embedder },
  query: string,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const stop = metrics.retrieval.startTimer();
  try {
    return await hybridSearch(deps, query, options);
  } finally {
    stop();
  }
}

async function hybridSearch(
  deps: { db: Db; embedder: Embedder },
  query: string,
  options: SearchOptions,
): Promise<SearchHit[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 5, 100));
  const text = wellFormedText(query).trim().slice(0, 2000);
  if (!text) return [];
  const space = await recentEmbeddingSpace(deps.db);
  if (!space) return [];
  if (space.model !== deps.embedder.model || space.dimensions !== deps.embedder.dimensions) {
    throw new EmbeddingSpaceMismatch(space, {
      model: deps.embedder.model,
      dimensions: deps.embedder.dimensions,
    });
  }
  const pool = Math.max(limit * 4, 40);
  const [vector] = await deps.embedder.embed([text]);
  const filter = documentFilter(options);
  const efSearch = efSearchFor(await currentChunkCount(deps.db), pool);
  const [lexical, semantic] = await Promise.all([
    lexicalCandidates(deps.db, text, filter, pool, options.expansions),
    vectorCandidates(deps.db, vector!, space.dimensions, filter, pool, efSearch),
  ]);
  const fused = new Map<string, number>();
  const lexicalK = deps.embedder.model.startsWith('local:') ? localLexicalK : rrfK;
  for (const [list, k] of [
    [lexical, lexicalK],
    [semantic, rrfK],
  ] as const) {
    for (const { id, rank } of list) fused.set(id, (fused.get(id) ?? 0) + 1 / (k + rank));
  }
  const top = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  if (top.length === 0) return [];
  return hydrate(deps.db, top, vector!, space.dimensions);
}

function documentFilter(options: SearchOptions): SQL {
  const parts: SQL[] = [];
  if (options.product) parts.push(sql`d.product = ${options.product}`);
  if (options.kind) parts.push(sql`d.kind = ${options.kind}`);
  return parts.length ? sql`AND ${sql.join(parts, sql` AND `)}` : sql``;
}

async function vectorCandidates(
  db: Db,
  vector: number[],
  dims: number,
  filter: SQL,
  pool: number,
  efSearch: number,
): Promise<Ranked[]> {
  const literal = `[${vector.join(',')}]`;
  const cast = sql.raw(`::vector(${dims})`);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${efSearch}`));
    // With filters the index may return too few matching rows; iterative scans keep going until enough do.
    if (filter.queryChunks.length > 0) await tx.execute(sql`SET LOCAL hnsw.iterative_scan = relaxed_order`);
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id
          WHERE ${sql.raw(vectorIndexPredicate('c.', dims))} ${filter}
          ORDER BY c.embedding${cast} <=> ${literal}${cast}
          LIMIT ${pool}`,
    );
    return rows.map((r, i) => ({ id: r.id, rank: i + 1 }));
  });
}

/** A current chunk as the hit queries below read it. */
interface ChunkRow {
  id: string;
  source: string;
  document_id: string;
  version_id: string;
  title: string;
  heading: string;
  text: string;
}

// The columns every hit query reads, for a chunk `c` joined to its document `d`.
const hitColumns = sql`c.id, d.source, c.document_id, c.version_id, d.title, c.heading, c.text`;

function toHit(r: ChunkRow, score: number): SearchHit {
  return {
    source: r.source,
    documentId: r.document_id,
    versionId: r.version_id,
    chunkId: r.id,
    title: r.title,
    heading: r.heading,
    score,
    text: r.text,
  };
}

async function hydrate(
  db: Db,
  top: [string, number][],
  vector: number[],
  dims: number,
): Promise<SearchHit[]> {
  const ids = top.map(([id]) => id);
  const rows = await queryRows<ChunkRow & { similarity: number }>(
    db,
    sql`SELECT ${hitColumns},
          1 - (c.embedding${sql.raw(`::vector(${dims})`)} <=> ${`[${vector.join(',')}]`}${sql.raw(`::vector(${dims})`)}) AS similarity
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id IN (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return top.flatMap(([id, score]) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        ...toHit(r, Math.round(score * 1e6) / 1e6),
        similarity: Math.round(Number(r.similarity) * 1e4) / 1e4,
      },
    ];
  });
}

/**
 * The opening chunk of each place (document and section heading) among current chunks, as search hits without
 * a score: passages that resolved earlier questions, brought in beside what the search found.
 */
export async function passagesAt(
  db: Db,
  places: { documentId: string; heading: string }[],
): Promise<SearchHit[]> {
  if (places.length === 0) return [];
  const rows = await queryRows<ChunkRow>(
    db,
    sql`SELECT DISTINCT ON (c.document_id, c.heading) ${hitColumns}
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.is_current AND (c.document_id, c.heading) IN (${sql.join(
          places.map((p) => sql`(${p.documentId}::uuid, ${p.heading})`),
          sql`, `,
        )})
        ORDER BY c.document_id, c.heading, c.ordinal`,
  );
  return rows.map((r) => toHit(r, 0));
}

/**
 * Current chunks whose text matches `pattern` (a Postgres regular expression, case-insensitive) and that share
 * a word with `words`, most about those words first: passages holding the kind of answer a question asks for (a
 * phone number, a price), which a search for the question's words may rank below passages that only use them.
 */
export async function passagesMatching(
  db: Db,
  pattern: string,
  words: string,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  // "or" is the query syntax's own word.
  const terms = (wellFormedText(words).match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (t) => t.toLowerCase() !== 'or',
  );
  if (terms.length === 0) return [];
  const limit = Math.max(1, Math.min(options.limit ?? 3, 20));
  const query = sql`websearch_to_tsquery('english', ${terms.join(' or ')})`;
  const rows = await queryRows<ChunkRow>(
    db,
    sql`SELECT ${hitColumns}
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.is_current AND c.tsv @@ ${query} AND c.text ~* ${pattern} ${documentFilter(options)}
        ORDER BY ts_rank(c.tsv, ${query}) DESC, c.id
        LIMIT ${limit}`,
  );
  return rows.map((r) => toHit(r, 0));
}
