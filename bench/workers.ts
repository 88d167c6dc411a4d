/**
 * Queued ingestion throughput: the synthetic corpus enqueued as `ingest.source` jobs on the Postgres server,
 * then run by 1, 2 and 4 `parley worker` processes (local embedder), each run on a fresh database.
 *
 *   npx tsx bench/workers.ts [--documents 2070] [--runs 3] [--workers 1,2,4] [--concurrency 2]
 *
 * Throughput is chunks over the span from the first job started to the last job finished, read from the job
 * table, so process start-up is left out; the wall time from spawning the workers is reported beside it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client.ts';
import { compactRef } from '../src/knowledge/sources/sync.ts';
import { openQueue } from '../src/jobs/queue.ts';
import { jobStatus } from '../src/jobs/status.ts';
import { type IngestSettings } from '../src/knowledge/ingest.ts';
import { resolveInputs } from '../src/knowledge/sources/read.ts';
import { buildCorpus } from './corpus.ts';
import { type BenchDatabase, createBenchDatabase } from './database.ts';
import { databaseVersions, describeEnvironment } from './environment.ts';
import { markdownTable, median, round, since } from './stats.ts';

const bin = fileURLToPath(new URL('../bin/parley.js', import.meta.url));

// The CLI defaults (src/config.ts).
const settings: IngestSettings = {
  maxFileBytes: 25 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
  chunk: { maxTokens: 300, overlapTokens: 40 },
};

const { values: args } = parseArgs({
  options: {
    documents: { type: 'string', default: '2070' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '2' },
  },
});

/** The environment of a worker process: this database, the local embedder, nothing else from ours. */
function workerEnv(url: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
  return { ...env, DATABASE_URL: url };
}

async function enqueueCorpus(database: BenchDatabase, dir: string): Promise<number> {
  const { sources } = await resolveInputs([dir]);
  const queue = await openQueue(database, { role: 'producer' });
  try {
    return await queue.enqueueMany(
      'ingest.source',
      sources.map((ref) => ({ source: compactRef(ref), settings })),
    );
  } finally {
    await queue.close();
  }
}

async function runWorkers(database: BenchDatabase, count: number, jobs: number) {
  const started = performance.now();
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [bin, 'worker', '--concurrency', args.concurrency], {
      env: workerEnv(database.url!),
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  const exits = children.map((c) => new Promise((resolve) => c.on('exit', resolve)));
  const errors: string[] = [];
  for (const child of children) {
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (/ [✗↻] |error/.test(line)) errors.push(line);
    });
  }
  try {
    for (;;) {
      const queue = (await jobStatus(database.db)).queues.find((q) => q.name === 'ingest.source')!;
      if (queue.counts.completed + queue.counts.failed >= jobs) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(exits);
  }
  if (errors.length) throw new Error(`workers reported failures, e.g. ${errors[0]}`);
  return since(started);
}

console.error(JSON.stringify(describeEnvironment()));
const corpus = await buildCorpus({ documents: Number(args.documents) });
console.error(`corpus: ${corpus.documents} documents, ${round(corpus.bytes / 1e6)} MB in ${corpus.dir}`);
const counts = args.workers.split(',').map(Number);
const rows: Record<string, string | number>[] = [];
try {
  for (let run = 1; run <= Number(args.runs); run++) {
    // Interleaved (1, 2, 4, 1, 2, 4, ...) so a change in the machine's load spreads over every count.
    for (const workers of counts) {
      const database = await createBenchDatabase('postgres', 'workers');
      try {
        if (rows.length === 0) console.error(JSON.stringify(await databaseVersions(database.db)));
        const jobs = await enqueueCorpus(database, corpus.dir);
        const load = os.loadavg()[0]!;
        const wallMs = await runWorkers(database, workers, jobs);
        const [span] = await queryRows<{ seconds: number; chunks: number; documents: number }>(
          database.db,
          sql`SELECT extract(epoch FROM max(completed_on) - min(started_on))::float8 AS seconds,
                (SELECT coalesce(sum(chunk_count), 0)::int FROM document_versions) AS chunks,
                (SELECT count(*)::int FROM documents) AS documents
              FROM pgboss.job WHERE name = 'ingest.source'`,
        );
        const row = {
          workers,
          run,
          documents: span!.documents,
          chunks: span!.chunks,
          seconds: round(span!.seconds, 2),
          'chunks/s': round(span!.chunks / span!.seconds),
          'wall s (with start-up)': round(wallMs / 1000, 2),
          'load before': round(load, 2),
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

const summary = counts.map((workers) => {
  const of = rows.filter((r) => r.workers === workers);
  const med = (key: string) => round(median(of.map((r) => Number(r[key]))), key === 'chunks/s' ? 1 : 2);
  return {
    'worker processes': workers,
    'concurrency each': Number(args.concurrency),
    runs: of.length,
    documents: of[0]?.documents ?? 0,
    chunks: of[0]?.chunks ?? 0,
    seconds: med('seconds'),
    'chunks/s': med('chunks/s'),
    'wall s (with start-up)': med('wall s (with start-up)'),
    'load before': med('load before'),
  };
});
console.log(markdownTable(summary));
console.error(`(${path.basename(bin)} worker × ${counts.join('/')}, medians of ${args.runs} runs)`);
