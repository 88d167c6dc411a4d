/**
 * What reading the spelling vocabulary again costs once documents change: a knowledge base is filled to
 * `--chunks` chunks, read once, then one document is touched (as a new version would) and the vocabulary read
 * again, `--runs` times. The medians are what every change to the knowledge base costs in the background.
 *
 *   node bench/spelling-reread.ts --chunks 10000 --runs 5 --backend both
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { prepareSpelling } from '../src/knowledge/spelling.ts';
import { resolveInputs } from '../src/knowledge/sources/read.ts';
import { buildCorpus } from './corpus.ts';
import { createBenchDatabase, selectedBackends } from './database.ts';
import { dropSearchIndexes, fillChunks } from './fill.ts';
import { median, round, since } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    chunks: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
  },
});
const config = loadConfig({}, {});
const ingestSettings = {
  maxFileBytes: config.ingest.maxFileBytes,
  fetchTimeoutMs: config.ingest.fetchTimeoutMs,
  chunk: { maxTokens: config.ingest.chunkTokens, overlapTokens: config.ingest.overlapTokens },
};
// Whole copies of the passages average about 1.9 chunks each (bench/agent-overhead.ts).
const documents = Math.ceil(Number(args.chunks) / 1.9) + 50;
const corpus = await buildCorpus({ documents });
const { sources } = await resolveInputs([corpus.dir]);

for (const backend of selectedBackends(args.backend)) {
  const database = await createBenchDatabase(backend, 'spelling');
  const db = database.db;
  const embedder = new LocalEmbedder();
  try {
    await ensureEmbeddingSpace(db, embedder);
    // Spelling reads the tsvector column, not the indexes: a fill without them is faster and reads the same.
    await dropSearchIndexes(db);
    const state = { sources, next: 0, chunks: 0 };
    await fillChunks({ db, embedder }, state, Number(args.chunks), ingestSettings);
    let start = performance.now();
    await prepareSpelling(db);
    const first = since(start);
    const rereads: number[] = [];
    for (let i = 0; i < Number(args.runs); i++) {
      await db.execute(
        sql`UPDATE documents SET updated_at = now() WHERE id = (SELECT id FROM documents ORDER BY id LIMIT 1)`,
      );
      start = performance.now();
      await prepareSpelling(db);
      rereads.push(since(start));
    }
    console.log(
      JSON.stringify({
        backend,
        chunks: state.chunks,
        firstReadMs: round(first),
        rereadMedianMs: round(median(rereads)),
        rereadsMs: rereads.map((ms) => round(ms)),
      }),
    );
  } finally {
    await database.destroy();
  }
}
