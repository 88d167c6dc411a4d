import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { parseLexemes } from './lexemes.ts';
import { conversationalLexemes } from './text.ts';

/** A chunk id and its 1-based position in one ranked list. */
export interface Ranked {
  id: string;
  rank: number;
}

// BM25's usual term-frequency saturation and length normalisation.
const k1 = 1.2;
const b = 0.75;
// A title or heading occurrence (tsvector weight A) counts as this many body occurrences: a simple BM25F.
const titleBoost = 2;
// Most chunks scored per query. Candidates come from the rarest query terms whose document frequencies add up
// to this, so a query costs about the same on 1k chunks as on 1M; the commoner terms still add to the score.
const candidateBudget = 1000;
// A whole conversation pasted as the query keeps its most informative terms only.
const maxTerms = 32;
// Document frequencies move slowly; minutes of staleness after an ingest only nudge term weights.
const statsTtlMs = 5 * 60_000;
// A word no chunk holds is counted again after this long, so a document ingested meanwhile is soon searchable
// by it, while the synonyms and misspellings questions keep bringing cost no lookup on every turn.
const absentTtlMs = 30_000;
interface Term {
  lexeme: string;
  df: number;
  /** idf × occurrences in the query. */
  weight: number;
}

interface TermStats {
  expires: number;
  chunks: number;
  avgLength: number;
  df: Map<string, number>;
  /** Lexemes no current chunk held when last counted, until when that is trusted. */
  absent: Map<string, number>;
}

const statsByDb = new WeakMap<Db, TermStats>();

/**
 * BM25 over the chunks' weighted tsvectors: query lexemes (Postgres' English stemming and stopwords) weighted
 * by inverse document frequency, term frequency saturated and normalised by chunk length. `ts_rank_cd` with a
 * one-lexeme query and normalisation 0 is that lexeme's occurrence count, each weighted by its tsvector weight,
 * which is all BM25F needs from the tsvector.
 */
export async function lexicalCandidates(
  db: Db,
  text: string,
  filter: SQL,
  pool: number,
  expansions: Expansion[] = [],
): Promise<Ranked[]> {
  const { terms, stats } = await queryTerms(db, text, expansions);
  if (terms.length === 0) return [];
  const generators: Term[] = [];
  let covered = 0;
  for (const term of [...terms].sort((x, y) => x.df - y.df)) {
    if (generators.length > 0 && covered + term.df > candidateBudget) break;
    generators.push(term);
    covered += term.df;
  }
  const match = generators.map((t) => tsqueryOf(t.lexeme)).join(' | ');
  const termRows = sql.join(
    terms.map((t) => sql`(${tsqueryOf(t.lexeme)}::tsquery, ${t.weight}::float8)`),
    sql`, `,
  );
  // ts_rank_cd takes weights in D, C, B, A order, each at most 1: scale A to 1 and multiply back.
  const weights = `{${[1, 1, 1].map(() => 1 / titleBoost).join(',')},1}`;
  // Joining documents costs a scan of them; only the product and kind filters need it.
  const scope = filter.queryChunks.length > 0 ? sql`JOIN documents d ON d.id = c.document_id` : sql``;
  // Both CTEs are materialised so that each ts_rank_cd runs once per matching (chunk, term) pair: inlined,
  // the planner would repeat it in every expression that uses tf.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH candidates AS MATERIALIZED (
          SELECT c.id, c.tsv, c.token_count FROM chunks c ${scope}
          WHERE c.is_current AND c.tsv @@ ${match}::tsquery ${filter}
          LIMIT ${candidateBudget}
        ), terms(q, weight) AS (VALUES ${termRows}),
        matches AS MATERIALIZED (
          SELECT c.id, c.token_count, t.weight,
            ts_rank_cd(${weights}::float4[], c.tsv, t.q, 0) * ${titleBoost}::float8 AS tf
          FROM candidates c JOIN terms t ON c.tsv @@ t.q
        )
        SELECT id FROM matches
        GROUP BY id
        ORDER BY sum(weight * tf /
          (tf + ${k1 * (1 - b)}::float8 + ${(k1 * b) / stats.avgLength}::float8 * token_count)) DESC, id
        LIMIT ${pool}`,
  );
  return rows.map((r, i) => ({ id: r.id, rank: i + 1 }));
}

/** The query's lexemes that occur in the knowledge base, weighted, most informative first. */
/** Another wording of part of a query, searched for at a fraction of its own weight. */
export interface Expansion {
  text: string;
  /** 0..1: multiplies the wording's idf. */
  weight: number;
}

async function queryTerms(
  db: Db,
  text: string,
  expansions: Expansion[],
): Promise<{ terms: Term[]; stats: TermStats }> {
  const parsed = await parseLexemes(db, [text, ...expansions.map((e) => e.text)]);
  const own = parsed.filter((p) => p.text === 0);
  const topical = own.filter((p) => !conversationalLexemes.has(p.lexeme));
  // "Could you tell me?" alone still searches for something.
  const lexemes = (topical.length > 0 ? topical : own).map((l) => ({
    lexeme: l.lexeme,
    n: l.count,
    factor: 1,
  }));
  const seen = new Set(lexemes.map((l) => l.lexeme));
  for (const p of parsed) {
    const expansion = expansions[p.text - 1];
    if (!expansion || seen.has(p.lexeme) || conversationalLexemes.has(p.lexeme)) continue;
    seen.add(p.lexeme);
    lexemes.push({ lexeme: p.lexeme, n: 1, factor: expansion.weight });
  }
  const stats = await termStats(
    db,
    lexemes.map((l) => l.lexeme),
  );
  const terms = lexemes
    .map((l) => {
      const df = stats.df.get(l.lexeme) ?? 0;
      const n = Math.max(stats.chunks, df);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      return { lexeme: l.lexeme, df, weight: idf * l.n * l.factor };
    })
    .filter((t) => t.df > 0)
    .sort((x, y) => y.weight - x.weight)
    .slice(0, maxTerms);
  return { terms, stats };
}

/** The number of current chunks, from the same few-minutes cache as the term statistics. */
export async function currentChunkCount(db: Db): Promise<number> {
  return (await termStats(db, [])).chunks;
}

/** Chunk count, average chunk length and the document frequencies of `lexemes`, cached per database. */
async function termStats(db: Db, lexemes: string[]): Promise<TermStats> {
  let stats = statsByDb.get(db);
  if (!stats || stats.expires < Date.now()) {
    stats = await corpusStats(db);
    // An empty knowledge base is about to be filled: don't let its statistics outlive the first ingest.
    if (stats.chunks > 0) statsByDb.set(db, stats);
  }
  const known = stats.df;
  const now = Date.now();
  const missing = [...new Set(lexemes)].filter((l) => !known.has(l) && !((stats.absent.get(l) ?? 0) > now));
  if (missing.length > 0) {
    // Rare lexemes: one cheap lookup each in the GIN index over current chunks.
    const rows = await queryRows<{ i: number; df: number }>(
      db,
      sql`SELECT t.i, (SELECT count(*) FROM chunks c WHERE c.is_current AND c.tsv @@ t.q)::int AS df
          FROM (VALUES ${sql.join(
            missing.map((l, i) => sql`(${i}::int, ${tsqueryOf(l)}::tsquery)`),
            sql`, `,
          )}) t(i, q)`,
    );
    for (const r of rows) {
      const lexeme = missing[Number(r.i)]!;
      if (Number(r.df) > 0) known.set(lexeme, Number(r.df));
      else stats.absent.set(lexeme, now + absentTtlMs);
    }
  }
  return stats;
}

/**
 * Counting the chunks that hold a common lexeme visits thousands of rows (100-200 ms at 100k chunks), so common
 * lexemes take their frequency from the statistics ANALYZE keeps for the tsvector column: its most common
 * elements with the share of rows holding each. Without them (a fresh or embedded database) every lexeme is
 * counted.
 */
async function corpusStats(db: Db): Promise<TermStats> {
  const [row] = await queryRows<{
    n: number;
    avg: number | null;
    elems: string[] | null;
    freqs: number[] | null;
  }>(
    db,
    sql`SELECT (SELECT count(*) FROM chunks WHERE is_current)::int AS n,
          (SELECT avg(token_count) FROM chunks WHERE is_current)::float8 AS avg,
          array_to_json(s.most_common_elems::text::text[]) AS elems,
          array_to_json(s.most_common_elem_freqs) AS freqs
        FROM (SELECT 1) one LEFT JOIN pg_stats s
          ON s.schemaname = current_schema() AND s.tablename = 'chunks' AND s.attname = 'tsv'`,
  );
  const chunks = Number(row?.n ?? 0);
  const df = new Map<string, number>();
  (row?.elems ?? []).forEach((lexeme, i) => {
    const share = Number(row?.freqs?.[i] ?? 0);
    if (share > 0) df.set(lexeme, Math.max(1, Math.round(share * chunks)));
  });
  return {
    expires: Date.now() + statsTtlMs,
    chunks,
    avgLength: Math.max(1, Number(row?.avg ?? 1)),
    df,
    absent: new Map(),
  };
}

/** A lexeme as a one-term tsquery, quoted so that punctuation inside it (URLs, paths) stays one lexeme. */
function tsqueryOf(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * How many current chunks hold each word (as Postgres stems it), and how many chunks there are: the rarity
 * of a question's words, from the same cache as BM25's statistics. A word Postgres drops as a stopword counts
 * as held by every chunk.
 */
export async function wordFrequencies(
  db: Db,
  words: string[],
): Promise<{ chunks: number; df: Map<string, number> }> {
  const unique = [...new Set(words.map((w) => w.toLowerCase()))].filter(Boolean);
  if (unique.length === 0) return { chunks: (await termStats(db, [])).chunks, df: new Map() };
  // A word Postgres splits into several lexemes is known by the first.
  const lexemeOf = new Map<string, string>();
  for (const p of await parseLexemes(db, unique)) {
    const word = unique[p.text]!;
    const current = lexemeOf.get(word);
    if (current === undefined || p.lexeme < current) lexemeOf.set(word, p.lexeme);
  }
  const stats = await termStats(db, [...new Set(lexemeOf.values())]);
  const df = new Map<string, number>();
  for (const word of unique) {
    const lexeme = lexemeOf.get(word);
    df.set(word, lexeme ? (stats.df.get(lexeme) ?? 0) : stats.chunks);
  }
  return { chunks: stats.chunks, df };
}
