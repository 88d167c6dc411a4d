/**
 * Search latency and HNSW recall at growing knowledge-base sizes, on PGlite and on the server.
 *
 *   npx tsx bench/search.ts [--sizes 10000,100000] [--backend pglite|postgres|both] [--queries 200]
 *     [--warmup 20] [--runs 3] [--ef 40,100,200,400,800,1000] [--maintenance-work-mem 1GB] [--budget-seconds 120]
 *
 * One database per backend is filled in steps (each size adds to the previous one); after each step the
 * search indexes are rebuilt once, then ~200 real queries go through `searchKnowledge` (limit 10) and the
 * HNSW query alone is compared with exact search for each `hnsw.ef_search`. Each measurement is repeated up to
 * --runs times but stops once --budget-seconds are spent, so slow configurations stay bounded.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type Db } from '../src/db/client.ts';
import { type Embedder, LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { type IngestSettings } from '../src/knowledge/ingest.ts';
import { efSearchFor, searchKnowledge } from '../src/knowledge/search.ts';
import { resolveInputs } from '../src/knowledge/sources/read.ts';
import { buildCorpus } from './corpus.ts';
import { databaseVersions, describeEnvironment } from './environment.ts';
import { type Backend, createBenchDatabase, selectedBackends } from './database.ts';
import { measureLexical } from './lexical.ts';
import { buildSearchIndexes, dropSearchIndexes, fillChunks, type FillState } from './fill.ts';
import { planUsesHnsw, searchShapedQuery, sweepEfSearch } from './recall.ts';
import { markdownTable, round, since, timedPasses } from './stats.ts';

const queriesFile = fileURLToPath(
  new URL('../../shared/data/mtrag-ibmcloud/queries-rewrite.jsonl', import.meta.url),
);

const settings: IngestSettings = {
  maxFileBytes: 25 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
  chunk: { maxTokens: 300, overlapTokens: 40 },
};

// Measured: copies with a fifth of their lines dropped average about 2.1 chunks; the margin covers the rest.
const chunksPerDocument = 1.9;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    backend: { type: 'string' },
    queries: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    ef: { type: 'string', default: '40,100,200,400,800,1000' },
    'maintenance-work-mem': { type: 'string', default: '1GB' },
    'budget-seconds': { type: 'string', default: '120' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const efValues = args.ef.split(',').map(Number);
// Every ef_search that searchKnowledge picks at these sizes (limit 10: a candidate pool of 40) is swept.
for (const size of sizes) if (!efValues.includes(efSearchFor(size, 40))) efValues.push(efSearchFor(size, 40));
efValues.sort((a, b) => a - b);
const budgetMs = Number(args['budget-seconds']) * 1000;

/** searchKnowledge latency over `count` queries (cycled) per pass, after `warmup` untimed ones. */
async function measureSearch(deps: { db: Db; embedder: Embedder }, queries: string[]) {
  const query = (i: number) => queries[i % queries.length]!;
  for (let i = 0; i < Number(args.warmup); i++) await searchKnowledge(deps, query(i), { limit: 10 });
  return timedPasses(Number(args.runs), budgetMs, async () => {
    const times: number[] = [];
    for (let i = 0; i < Number(args.queries); i++) {
      const start = performance.now();
      const hits = await searchKnowledge(deps, query(i), { limit: 10 });
      times.push(since(start));
      if (hits.length === 0) throw new Error(`no hits for "${query(i)}"`);
    }
    return times;
  });
}

type Row = Record<string, string | number>;

async function benchBackend(backend: Backend, sources: FillState['sources'], queries: string[]) {
  const database = await createBenchDatabase(backend, 'search');
  const embedder = new LocalEmbedder();
  const deps = { db: database.db, embedder };
  const vectors = await embedder.embed(queries.map((q) => q.trim().slice(0, 2000)));
  const state: FillState = { sources, next: 0, chunks: 0 };
  const rows = { search: [] as Row[], build: [] as Row[], ef: [] as Row[] };
  const log = (what: object) => console.error(JSON.stringify({ backend, chunks: state.chunks, ...what }));
  try {
    log(await databaseVersions(database.db));
    await ensureEmbeddingSpace(database.db, embedder);
    for (const size of sizes) {
      const gin = await dropSearchIndexes(database.db);
      const start = performance.now();
      await fillChunks(deps, state, size, settings);
      const fillSeconds = since(start) / 1000;
      const built = await buildSearchIndexes(database.db, gin, embedder, args['maintenance-work-mem']);
      const setup = { backend, chunks: state.chunks, documents: state.next };
      log({ fillSeconds, ...built });
      rows.build.push({
        ...setup,
        'fill s': round(fillSeconds),
        'GIN build s': round(built.ginSeconds),
        'HNSW build s': round(built.hnswSeconds),
      });
      const searchEfSearch = efSearchFor(state.chunks, 40);
      const shaped = searchShapedQuery(vectors[0]!, embedder.dimensions);
      const searchPlan = (await planUsesHnsw(database.db, shaped, searchEfSearch)) ? 'HNSW' : 'seq scan';
      const latency = await measureSearch(deps, queries);
      log({ searchKnowledge: latency, searchPlan });
      const lexical = await measureLexical(database.db, queries, Number(args.runs), budgetMs);
      log({ lexical });
      const { exact, sweep } = await sweepEfSearch(
        database.db,
        vectors,
        embedder.dimensions,
        efValues,
        Number(args.runs),
        budgetMs,
      );
      log({ exact, sweep });
      const atSearchEf = sweep.find((r) => r.efSearch === searchEfSearch)!;
      rows.search.push({
        ...setup,
        'p50 ms': latency.p50,
        'p95 ms': latency.p95,
        'mean ms': latency.mean,
        passes: latency.passes,
        'ef_search used': searchEfSearch,
        'recall@10 at that ef': atSearchEf.recall,
        'vector query plan': searchPlan,
        'lexical p50 / p95 ms': `${lexical.p50} / ${lexical.p95}`,
        'exact vector p50 / p95 ms': `${round(exact.p50)} / ${round(exact.p95)}`,
      });
      for (const r of sweep) {
        rows.ef.push({
          ...setup,
          ef_search: r.efSearch,
          'planner picks': r.plan,
          'recall@10': r.recall,
          'recall@10 (ids)': r.recallIds,
          'recall@10 (passages)': r.recallPassages,
          'ANN p50 ms': r.p50,
          'ANN p95 ms': r.p95,
          'ANN mean ms': r.mean,
          passes: r.passes,
        });
      }
    }
  } finally {
    await database.destroy();
  }
  return rows;
}

console.error(JSON.stringify(describeEnvironment()));
const queries = (await fs.readFile(queriesFile, 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { query: string }).query);
const corpus = await buildCorpus({
  documents: Math.ceil(Math.max(...sizes) / chunksPerDocument),
  dropRate: 0.2,
});
const all = { search: [] as Row[], build: [] as Row[], ef: [] as Row[] };
try {
  const { sources } = await resolveInputs([corpus.dir]);
  for (const backend of selectedBackends(args.backend)) {
    const rows = await benchBackend(backend, sources, queries);
    for (const key of ['search', 'build', 'ef'] as const) all[key].push(...rows[key]);
  }
} finally {
  await fs.rm(corpus.dir, { recursive: true, force: true });
}
console.log(`searchKnowledge, limit 10, ${args.queries} queries per pass (medians over passes)\n`);
console.log(markdownTable(all.search));
console.log('\nFill and index builds\n');
console.log(markdownTable(all.build));
console.log(
  `\nHNSW query alone (top 10) against exact search, ${queries.length} queries (medians over passes)\n`,
);
console.log(markdownTable(all.ef));
