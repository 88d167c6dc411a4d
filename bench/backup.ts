/**
 * Backup time, restore time and archive size at a given knowledge-base size, on the server and on PGlite.
 *
 *   npx tsx bench/backup.ts [--chunks 100000] [--backend postgres|pglite|both] [--runs 1]
 *     [--maintenance-work-mem 1GB]
 *
 * The first backend's database is filled with --chunks chunks (Parley's own ingest, search indexes built once
 * afterwards, as bench/search.ts does), then backed up --runs times. Its archive is restored --runs times into
 * a fresh database of each backend (the server first), and each restored copy is backed up again: its
 * per-table counts and checksums must equal the original's, and a search must find hits. Peak resident memory
 * is sampled while each step runs, to show that rows are streamed rather than held.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { ensureEmbeddingSpace } from '../src/knowledge/embedding-space.ts';
import { type IngestSettings } from '../src/knowledge/ingest.ts';
import { searchKnowledge } from '../src/knowledge/search.ts';
import { resolveInputs } from '../src/knowledge/sources/read.ts';
import { createBackup, type Manifest, restoreBackup } from '../src/ops/backup/backup.ts';
import { buildCorpus } from './corpus.ts';
import { type Backend, type BenchDatabase, createBenchDatabase, selectedBackends } from './database.ts';
import { databaseVersions, describeEnvironment } from './environment.ts';
import { buildSearchIndexes, dropSearchIndexes, fillChunks, type FillState } from './fill.ts';
import { markdownTable, median, round, since } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100000' },
    backend: { type: 'string' },
    runs: { type: 'string', default: '1' },
    'maintenance-work-mem': { type: 'string', default: '1GB' },
  },
});
const target = Number(args.chunks);
const runs = Number(args.runs);
// Server first: it is the faster one to fill, and its archive then seeds PGlite.
const order = selectedBackends(args.backend).sort((a) => (a === 'postgres' ? -1 : 1));
const settings: IngestSettings = {
  maxFileBytes: 25 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
  chunk: { maxTokens: 300, overlapTokens: 40 },
};
const embedder = new LocalEmbedder();
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-bench-backup-'));
const log = (what: object) => console.error(JSON.stringify(what));

/** Runs `step`, returning its seconds and the peak RSS (MB) sampled every 100 ms while it ran. */
async function measured<T>(step: () => Promise<T>): Promise<{ value: T; seconds: number; peakMB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const start = performance.now();
  try {
    const value = await step();
    return {
      value,
      seconds: since(start) / 1000,
      peakMB: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}

const sums = (m: Manifest) => JSON.stringify(m.tables.map((t) => [t.name, t.rows, t.sha256]));

async function fill(backend: Backend): Promise<BenchDatabase> {
  const database = await createBenchDatabase(backend, 'backup_source');
  log({ backend, ...(await databaseVersions(database.db)) });
  const corpus = await buildCorpus({ documents: Math.ceil(target / 1.9), dropRate: 0.2 });
  try {
    const { sources } = await resolveInputs([corpus.dir]);
    const state: FillState = { sources, next: 0, chunks: 0 };
    await ensureEmbeddingSpace(database.db, embedder);
    const gin = await dropSearchIndexes(database.db);
    const start = performance.now();
    await fillChunks({ db: database.db, embedder }, state, target, settings);
    const built = await buildSearchIndexes(database.db, gin, embedder, args['maintenance-work-mem']);
    log({ filled: state.chunks, documents: state.next, seconds: round(since(start) / 1000), ...built });
  } finally {
    await fs.rm(corpus.dir, { recursive: true, force: true });
  }
  return database;
}

type Row = Record<string, string | number>;
const backups: Row[] = [];
const restores: Row[] = [];
const chunkRows = (m: Manifest) => m.tables.find((t) => t.name === 'chunks')!.rows;

/** Backs `database` up `runs` times; returns the last archive and its manifest. */
async function benchBackup(database: BenchDatabase, label: string) {
  const file = path.join(work, `${label.replace(/\W+/g, '-')}.jsonl.gz`);
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof createBackup>> | undefined;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const r = await measured(() => createBackup(database, file));
    times.push(r.seconds);
    peak = Math.max(peak, r.peakMB);
    last = r.value;
    log({ step: 'backup', backend: database.backend, seconds: round(r.seconds, 2), bytes: r.value.bytes });
  }
  backups.push({
    backup: label,
    chunks: chunkRows(last!.manifest),
    's (median)': round(median(times), 1),
    runs,
    'archive MB': round(last!.bytes / 2 ** 20, 1),
    'peak RSS MB': peak,
  });
  return last!;
}

/** Restores `file` `runs` times into a fresh database of `backend`; returns the last copy. */
async function benchRestore(backend: Backend, file: string, from: string) {
  const passes: { total: number; seconds: Record<string, number> }[] = [];
  let peak = 0;
  let database: BenchDatabase | undefined;
  let manifest: Manifest | undefined;
  for (let i = 0; i < runs; i++) {
    await database?.destroy();
    database = await createBenchDatabase(backend, 'backup_target');
    const r = await measured(() =>
      restoreBackup(database!.db, file, { maintenanceWorkMem: args['maintenance-work-mem'] }),
    );
    passes.push({ total: r.seconds, seconds: r.value.seconds });
    peak = Math.max(peak, r.peakMB);
    manifest = r.value.manifest;
    log({ step: 'restore', backend, seconds: round(r.seconds, 2), steps: r.value.seconds });
  }
  const hits = await searchKnowledge({ db: database!.db, embedder }, 'how do I create a virtual server', {
    limit: 10,
  });
  if (hits.length === 0) throw new Error(`no search hits after restoring into ${backend}`);
  const step = (key: string) => round(median(passes.map((p) => p.seconds[key]!)), 1);
  restores.push({
    restore: `${from} archive into ${backend}`,
    chunks: chunkRows(manifest!),
    's (median)': round(median(passes.map((p) => p.total)), 1),
    runs,
    'read + check archive s': step('verifyArchive'),
    'load s': step('load'),
    'recompute checksums s': step('verifyTables'),
    'indexes + commit s': step('indexes'),
    'analyze s': step('analyze'),
    'peak RSS MB': peak,
  });
  return database!;
}

console.error(JSON.stringify(describeEnvironment()));
const opened: BenchDatabase[] = [];
try {
  const source = await fill(order[0]!);
  opened.push(source);
  const original = await benchBackup(source, `${order[0]} (original)`);
  for (const backend of order) {
    const restored = await benchRestore(backend, original.file, order[0]!);
    opened.push(restored);
    const copy = await benchBackup(restored, `${backend} (restored copy)`);
    if (sums(copy.manifest) !== sums(original.manifest)) {
      throw new Error(`the ${backend} copy's counts or checksums differ from the original's`);
    }
    log({ identical: backend });
  }
  log({ loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) });
} finally {
  for (const database of opened) await database.destroy().catch(() => {});
  await fs.rm(work, { recursive: true, force: true });
}
console.log(`Backups, ${runs} run(s) each\n`);
console.log(markdownTable(backups));
console.log(`\nRestores into a fresh database, ${runs} run(s) each\n`);
console.log(markdownTable(restores));
