/**
 * Ingestion throughput: `ingestInputs` with the local embedder over a synthetic corpus, on PGlite and on the
 * server, each run on a fresh database.
 *
 *   npx tsx bench/ingest.ts [--documents 2070] [--runs 3] [--backend pglite|postgres|both] [--no-hnsw]
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Embedder, LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { extractDocument } from '../src/knowledge/extract/index.ts';
import { chunkDocument } from '../src/knowledge/chunk.ts';
import { ingestInputs, type IngestSettings } from '../src/knowledge/ingest.ts';
import { readSource, resolveInputs } from '../src/knowledge/sources/read.ts';
import { buildCorpus } from './corpus.ts';
import { databaseVersions, describeEnvironment } from './environment.ts';
import { createBenchDatabase, selectedBackends } from './database.ts';
import { markdownTable, median, round, since } from './stats.ts';

// The CLI defaults (src/config.ts).
const settings: IngestSettings = {
  maxFileBytes: 25 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
  chunk: { maxTokens: 300, overlapTokens: 40 },
};

/** Passes calls through to the real embedder and adds up the time they take. */
class TimedEmbedder implements Embedder {
  ms = 0;
  constructor(private readonly inner: Embedder) {}
  get model() {
    return this.inner.model;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  async embed(texts: string[]): Promise<number[][]> {
    const start = performance.now();
    try {
      return await this.inner.embed(texts);
    } finally {
      this.ms += since(start);
    }
  }
}

/** Reading, extracting and chunking alone (no embedding, no database): the part of ingest that is neither. */
async function timePrepare(dir: string): Promise<number> {
  const start = performance.now();
  for (const ref of (await resolveInputs([dir])).sources) {
    const doc = await extractDocument(
      await readSource(ref, { maxBytes: settings.maxFileBytes, fetchTimeoutMs: settings.fetchTimeoutMs }),
    );
    chunkDocument(doc.title, doc.blocks, settings.chunk);
  }
  return since(start);
}

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '2070' },
    runs: { type: 'string', default: '3' },
    backend: { type: 'string' },
    'no-hnsw': { type: 'boolean', default: false },
  },
});

console.error(JSON.stringify(describeEnvironment()));
const corpus = await buildCorpus({ documents: Number(args.documents) });
console.error(`corpus: ${corpus.documents} documents, ${round(corpus.bytes / 1e6)} MB in ${corpus.dir}`);
const rows: Record<string, string | number>[] = [];
try {
  for (const backend of selectedBackends(args.backend)) {
    for (let run = 1; run <= Number(args.runs); run++) {
      const prepareMs = await timePrepare(corpus.dir);
      const database = await createBenchDatabase(backend, 'ingest');
      try {
        if (run === 1) console.error(JSON.stringify({ backend, ...(await databaseVersions(database.db)) }));
        const embedder = new TimedEmbedder(new LocalEmbedder());
        if (args['no-hnsw']) {
          // Records the space first so ingest does not recreate the index we drop.
          await ensureEmbeddingSpace(database.db, embedder);
          await database.db.execute(sql`DROP INDEX chunks_embedding_hnsw`);
        }
        const start = performance.now();
        const cpu = process.cpuUsage();
        const report = await ingestInputs({ db: database.db, embedder }, [corpus.dir], settings);
        const totalMs = since(start);
        const { user, system } = process.cpuUsage(cpu);
        if (report.failed > 0)
          throw new Error(`${report.failed} sources failed: ${JSON.stringify(report.results[0])}`);
        const row = {
          backend,
          run,
          documents: report.results.length,
          chunks: report.chunks,
          seconds: round(totalMs / 1000, 2),
          'chunks/s': round(report.chunks / (totalMs / 1000)),
          'embed %': round((100 * embedder.ms) / totalMs),
          'read+extract+chunk %': round((100 * prepareMs) / totalMs),
          'database %': round((100 * (totalMs - embedder.ms - prepareMs)) / totalMs),
          // On the server, the rest of the wall time is spent waiting for Postgres.
          'Node CPU %': round((100 * (user + system)) / 1000 / totalMs),
          // PGlite runs in this process, so chunks per CPU second is its throughput on a core of its own:
          // steadier than chunks/s when other work shares the machine.
          'chunks per CPU s': round(report.chunks / ((user + system) / 1e6)),
        };
        console.error(JSON.stringify(row));
        rows.push(row);
      } finally {
        await database.destroy();
      }
    }
  }
} finally {
  await fs.rm(corpus.dir, { recursive: true, force: true });
}

const summary = selectedBackends(args.backend).map((backend) => {
  const mine = rows.filter((r) => r.backend === backend);
  const med = (key: string) => median(mine.map((r) => Number(r[key])));
  return {
    backend: args['no-hnsw'] ? `${backend} (no HNSW index)` : backend,
    runs: mine.length,
    documents: mine[0]?.documents ?? 0,
    chunks: mine[0]?.chunks ?? 0,
    'seconds (median)': round(med('seconds'), 2),
    'chunks/s (median)': round(med('chunks/s')),
    'embed %': round(med('embed %')),
    'read+extract+chunk %': round(med('read+extract+chunk %')),
    'database %': round(med('database %')),
    'Node CPU %': round(med('Node CPU %')),
    'chunks per CPU s': round(med('chunks per CPU s')),
  };
});
console.log(markdownTable(summary));
