import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type SearchHit } from './search.ts';

const querySchema = z.object({
  id: z.string(),
  query: z.string(),
  relevant: z.array(z.string()).min(1),
});

export type EvalQuery = z.infer<typeof querySchema>;

export interface RetrievalMetrics {
  n: number;
  recall_at_1: number;
  recall_at_5: number;
  recall_at_10: number;
  mrr_at_10: number;
  ms_per_query: number;
}

/** One query's outcome: where its relevant files ranked among the retrieved files. */
export interface RetrievalDetail {
  id: string;
  query: string;
  /** 1-based rank of each relevant file among the retrieved files, or null when it was not retrieved. */
  ranks: Record<string, number | null>;
  /** The best of `ranks`, or null when no relevant file was retrieved. */
  first: number | null;
  /** The first retrieved files, to see what outranked the relevant ones. */
  top: string[];
}

// Files named in a detail's `top`.
const detailTop = 5;

/** Reads a JSON Lines file, one `schema` entry per line, reporting the line of any malformed entry. */
export async function readJsonlFile<T>(file: string, schema: z.ZodType<T>, what = 'entry'): Promise<T[]> {
  const lines = (await fs.readFile(file, 'utf8')).split(/\r?\n/);
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? `invalid ${what}`}`);
    out.push(parsed.data);
  });
  return out;
}

/** Reads a JSONL query file, reporting the line of any malformed entry. */
export function readEvalQueries(file: string): Promise<EvalQuery[]> {
  return readJsonlFile(file, querySchema, 'query');
}

/**
 * Document-level retrieval metrics, as the eval sets define them: files are ranked by their best chunk
 * (duplicates dropped); a query counts as a hit at k when one of its relevant files is in the top k, and
 * recall@k is the share of queries with a hit. MRR@10 uses the rank of the first relevant file. `onDetail` sees
 * each query's ranks.
 */
export async function evaluateRetrieval(
  queries: EvalQuery[],
  search: (query: string) => Promise<SearchHit[]>,
  options: { onDetail?: (d: RetrievalDetail) => void } = {},
): Promise<RetrievalMetrics> {
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  let mrr = 0;
  const started = performance.now();
  for (const q of queries) {
    const hits = await search(q.query);
    const ranked = [...new Set(hits.map((h) => path.basename(h.source)))];
    const relevant = new Set(q.relevant);
    const recallAt = (k: number) => (ranked.slice(0, k).some((f) => relevant.has(f)) ? 1 : 0);
    r1 += recallAt(1);
    r5 += recallAt(5);
    r10 += recallAt(10);
    const first = ranked.slice(0, 10).findIndex((f) => relevant.has(f));
    mrr += first >= 0 ? 1 / (first + 1) : 0;
    if (options.onDetail) {
      const ranks = Object.fromEntries(
        q.relevant.map((f) => [f, ranked.includes(f) ? ranked.indexOf(f) + 1 : null]),
      );
      const found = Object.values(ranks).filter((r) => r !== null);
      options.onDetail({
        id: q.id,
        query: q.query,
        ranks,
        first: found.length > 0 ? Math.min(...found) : null,
        top: ranked.slice(0, detailTop),
      });
    }
  }
  const n = queries.length;
  const round = (x: number) => Math.round((x / Math.max(n, 1)) * 1000) / 1000;
  return {
    n,
    recall_at_1: round(r1),
    recall_at_5: round(r5),
    recall_at_10: round(r10),
    mrr_at_10: round(mrr),
    ms_per_query: Math.round(((performance.now() - started) / Math.max(n, 1)) * 10) / 10,
  };
}
