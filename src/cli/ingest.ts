import path from 'node:path';
import { type Command } from 'commander';
import { openQueue } from '../jobs/queue.ts';
import { compactRef, retireDocuments } from '../knowledge/sources/sync.ts';
import { goneFromFolder } from '../knowledge/store.ts';
import { type IngestResult, ingestInputs } from '../knowledge/ingest.ts';
import { resolveInputs } from '../knowledge/sources/read.ts';
import { dataDirOption, ingestSettings, type Runtime, withRuntime } from './runtime.ts';

interface IngestOptions {
  prune?: boolean;
  json?: boolean;
  queue?: boolean;
  dataDir?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Ingest files, folders (recursively) and web pages into the knowledge base')
    .argument('<inputs...>', 'paths to files or folders, or http(s) URLs')
    .option('--prune', 'retire documents that were ingested from a given folder but are gone from it')
    .option('--queue', 'enqueue one job per source for `parley worker` instead of ingesting here')
    .option('--json', 'print the per-source results as JSON')
    .option(...dataDirOption)
    .action(async (inputs: string[], opts: IngestOptions) => {
      await withRuntime(opts, (rt) =>
        opts.queue ? enqueueInputs(rt, inputs, opts) : ingestHere(rt, inputs, opts),
      );
    });
}

async function ingestHere({ config, database, embedder }: Runtime, inputs: string[], opts: IngestOptions) {
  if (!opts.json) console.error(`Embedding with ${embedder.model} into ${database.location}`);
  const started = performance.now();
  const progress = opts.json ? undefined : createProgress('ingesting');
  const report = await ingestInputs({ db: database.db, embedder }, inputs, ingestSettings(config), {
    prune: opts.prune ?? false,
    onResult: progress && ((r, done, total) => progress.log(formatResult(r, done, total), done, total)),
  });
  progress?.finish();
  const seconds = (performance.now() - started) / 1000;
  if (opts.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.error(`\n${summarise(report.results)}; ${report.chunks} chunks in ${seconds.toFixed(1)} s`);
    if (report.skipped.length) {
      console.error(
        `Skipped ${report.skipped.length} files of types Parley does not read, e.g. ${report.skipped[0]}`,
      );
    }
  }
  if (report.failed > 0) process.exitCode = 1;
}

/** `--queue`: resolve the inputs here, enqueue one `ingest.source` job per file or page, prune right away. */
async function enqueueInputs({ config, database }: Runtime, inputs: string[], opts: IngestOptions) {
  const resolved = await resolveInputs(inputs);
  const settings = ingestSettings(config);
  const queue = await openQueue(database, { role: 'producer' });
  let queued: number;
  try {
    queued = await queue.enqueueMany(
      'ingest.source',
      resolved.sources.map((ref) => ({ source: compactRef(ref), settings })),
    );
  } finally {
    await queue.close();
  }
  const retired: string[] = [];
  if (opts.prune) {
    const seen = new Set(resolved.sources.map((s) => s.uri));
    for (const folder of resolved.folders) {
      const gone = await retireDocuments(database.db, await goneFromFolder(database.db, folder, seen));
      retired.push(...gone.map((d) => d.source));
    }
  }
  const missing = resolved.missing.map((m) => ({
    source: m.uri,
    code: m.error.code,
    message: m.error.message,
  }));
  if (opts.json) {
    console.log(JSON.stringify({ queued, retired, missing, skipped: resolved.skipped }, null, 2));
  } else {
    for (const m of missing) console.error(`✗ ${m.message} [${m.code}]`);
    for (const r of retired) console.error(`✓ retired ${displayName(r)}`);
    console.error(
      `Queued ${queued} sources for ingestion in ${database.location}; \`parley worker\` runs them` +
        (retired.length ? `; retired ${retired.length}` : '') +
        (resolved.skipped.length
          ? `; skipped ${resolved.skipped.length} files of types Parley does not read`
          : ''),
    );
  }
  if (missing.length > 0) process.exitCode = 1;
}

/** "12 sources: 3 new, 1 updated, ..." */
export function summarise(results: IngestResult[]): string {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  return (
    `${results.length} sources: ${count('created')} new, ${count('updated')} updated, ` +
    `${count('restored')} restored, ${count('unchanged')} unchanged, ${count('retired')} retired, ` +
    `${count('failed')} failed`
  );
}

export function formatResult(r: IngestResult, done: number, total: number): string {
  const where = `[${done}/${total}]`;
  const name = displayName(r.source);
  if (r.status === 'failed') return `${where} ✗ ${r.error?.message ?? name} [${r.error?.code}]`;
  const detail =
    r.chunks !== undefined ? ` (v${r.version}, ${r.chunks} chunks)` : r.version ? ` (v${r.version})` : '';
  return `${where} ${r.status === 'unchanged' ? '=' : '✓'} ${r.status} ${name}${detail}`;
}

function displayName(source: string): string {
  return /^https?:/.test(source) ? source : path.relative(process.cwd(), source) || source;
}

export interface Progress {
  /** Prints a line (above the bar on a terminal) and moves the bar to `done` of `total`. */
  log(line: string, done: number, total: number): void;
  /** Clears the bar. */
  finish(): void;
}

/**
 * A progress bar on the last line of stderr: count, rate and time left. Drawn only when stderr is a
 * terminal; anywhere else (pipes, logs, CI) the lines are printed as they are and no bar is drawn.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  let bar = '';
  let drawnAt = 0;
  const draw = (done: number, total: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const left = rate > 0 ? Math.round((total - done) / rate) : 0;
    const text = ` ${done}/${total}  ${rate.toFixed(1)}/s  ${done < total ? `${formatDuration(left)} left` : 'done'}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - text.length - 4));
    const filled = total > 0 ? Math.round((width * done) / total) : width;
    bar = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${text}`;
    stream.write(`\r\x1b[2K${bar}`);
  };
  return {
    log(line, done, total) {
      if (!stream.isTTY) {
        stream.write(`${line}\n`);
        return;
      }
      stream.write(`\r\x1b[2K${line}\n`);
      // Redrawing on every line of a fast run would cost more than the run; ten times a second is plenty.
      const now = performance.now();
      if (now - drawnAt > 100 || done === total) {
        drawnAt = now;
        draw(done, total);
      } else if (bar) {
        stream.write(bar);
      }
    },
    finish() {
      if (stream.isTTY && bar) stream.write('\r\x1b[2K');
      bar = '';
    },
  };
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}
