import { type Command, InvalidArgumentError } from 'commander';
import { type Source } from '../db/schema/index.ts';
import { openQueue } from '../jobs/queue.ts';
import {
  addSource,
  findSource,
  listSources,
  removeSource,
  type SourceKind,
  type SyncStatus,
} from '../knowledge/sources/registry.ts';
import { syncSourceInline } from '../knowledge/sources/sync.ts';
import { createProgress, formatResult, summarise } from './ingest.ts';
import { dataDirOption, ingestSettings, type Runtime, withRuntime } from './runtime.ts';
import { positiveInt } from './search.ts';

/** `parley sources add|list|sync|remove`: the folders, pages and sitemaps kept in sync. */
export function registerSources(program: Command): void {
  const sources = program
    .command('sources')
    .description('Folders, web pages and sitemaps kept in sync with the knowledge base');
  registerAdd(sources);
  registerList(sources);
  registerSync(sources);
  registerRemove(sources);
}

function registerAdd(sources: Command): void {
  sources
    .command('add')
    .description('Register a folder, page or sitemap (a URL ending in .xml or .xml.gz) to sync')
    .argument('<location>', 'a folder, an http(s) URL, or a sitemap URL')
    .option('--every <minutes>', 'sync it on this schedule (run `parley worker`)', positiveInt)
    .option('--kind <kind>', 'folder, url or sitemap (default: guessed from the location)', sourceKind)
    .option('--json', 'print the source as JSON')
    .option(...dataDirOption)
    .action(
      async (
        location: string,
        opts: { every?: number; kind?: SourceKind; json?: boolean; dataDir?: string },
      ) => {
        await withRuntime(opts, async ({ database }) => {
          const added = await addSource(database.db, {
            location,
            intervalMinutes: opts.every,
            kind: opts.kind,
          });
          if (!added.ok) {
            console.error(`parley: ${added.error.message}`);
            process.exitCode = 1;
            return;
          }
          const { source } = added;
          if (opts.json) return console.log(JSON.stringify(source, null, 2));
          console.log(
            `Added ${source.kind} ${source.location} (${source.id}); ` +
              (source.intervalMinutes
                ? `\`parley worker\` syncs it every ${source.intervalMinutes} minutes.`
                : `sync it with \`parley sources sync ${source.id}\`.`),
          );
        });
      },
    );
}

function registerList(sources: Command): void {
  sources
    .command('list')
    .description('List registered sources with their schedule and last sync')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(async (opts: { json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        const list = await listSources(database.db);
        if (opts.json) {
          const shown = list.map((s) => ({
            ...s,
            lastStatus: withoutUrls(s.lastStatus as SyncStatus | null),
          }));
          return console.log(JSON.stringify(shown, null, 2));
        }
        if (list.length === 0) return console.log('No sources yet: try `parley sources add <folder|url>`.');
        for (const s of list) {
          const every = s.intervalMinutes ? `every ${s.intervalMinutes} min` : 'on demand';
          console.log(`${s.id}  ${s.kind}  ${every}\n    ${s.location}\n    ${describeSync(s)}`);
        }
      });
    });
}

interface SyncOptions {
  all?: boolean;
  queue?: boolean;
  json?: boolean;
  dataDir?: string;
}

function registerSync(sources: Command): void {
  sources
    .command('sync')
    .description('Ingest what changed in a source (or all of them) and retire what it no longer has')
    .argument('[source]', 'a source id or location')
    .option('--all', 'sync every registered source')
    .option('--queue', 'enqueue the syncs for `parley worker` instead of running them here')
    .option('--json', 'print the results as JSON')
    .option(...dataDirOption)
    .action(async (ref: string | undefined, opts: SyncOptions) => {
      if (!ref === !opts.all) throw new Error('name one source, or pass --all');
      await withRuntime(opts, async (runtime) => {
        const { database } = runtime;
        const selected = opts.all ? await listSources(database.db) : [await findSource(database.db, ref!)];
        if (selected[0] === undefined && !opts.all)
          throw new Error(`no source ${ref} (see \`parley sources list\`)`);
        const targets = selected as Source[];
        if (opts.queue) await queueSyncs(runtime, targets, opts);
        else await syncHere(runtime, targets, opts);
      });
    });
}

/** `sources sync --queue`: one `sources.sync` job per source, for `parley worker`. */
async function queueSyncs(runtime: Runtime, targets: Source[], opts: SyncOptions): Promise<void> {
  const settings = ingestSettings(runtime.config);
  const queue = await openQueue(runtime.database, { role: 'producer' });
  try {
    for (const source of targets) {
      const id = await queue.enqueue(
        'sources.sync',
        { sourceId: source.id, reason: 'manual', settings },
        { singletonKey: source.id },
      );
      if (!opts.json) console.error(`${id ? 'Queued' : 'Already queued:'} sync of ${source.location}`);
    }
  } finally {
    await queue.close();
  }
  if (opts.json) console.log(JSON.stringify({ queued: targets.map((s) => s.id) }));
}

/** `sources sync`: syncs each source in this process, with progress on a terminal. */
async function syncHere(runtime: Runtime, targets: Source[], opts: SyncOptions): Promise<void> {
  const settings = ingestSettings(runtime.config);
  const deps = { db: runtime.database.db, embedder: runtime.embedder };
  const reports = [];
  for (const source of targets) {
    if (!opts.json) console.error(`Syncing ${source.kind} ${source.location}`);
    const progress = opts.json ? undefined : createProgress('syncing');
    const report = await syncSourceInline(deps, source, settings, {
      onResult: progress && ((r, done, total) => progress.log(formatResult(r, done, total), done, total)),
    });
    progress?.finish();
    reports.push(report);
    if (report.status.error || (report.status.failed ?? 0) > 0) process.exitCode = 1;
    if (opts.json) continue;
    if (report.status.error) console.error(`✗ ${report.status.error.message} [${report.status.error.code}]`);
    else console.error(`${summarise(report.results)}\n`);
  }
  if (opts.json) {
    const shown = reports.map((r) => ({
      source: r.source.id,
      status: withoutUrls(r.status),
      results: r.results,
    }));
    console.log(JSON.stringify(shown, null, 2));
  }
}

function registerRemove(sources: Command): void {
  sources
    .command('remove')
    .description('Stop syncing a source (its documents stay; retire them with `parley ingest --prune`)')
    .argument('<source>', 'a source id or location')
    .option(...dataDirOption)
    .action(async (ref: string, opts: { dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        const source = await findSource(database.db, ref);
        if (!source) throw new Error(`no source ${ref} (see \`parley sources list\`)`);
        await removeSource(database.db, source.id);
        console.log(`Removed ${source.location}.`);
      });
    });
}

function sourceKind(value: string): SourceKind {
  if (value === 'folder' || value === 'url' || value === 'sitemap') return value;
  throw new InvalidArgumentError('expected folder, url or sitemap');
}

function withoutUrls(status: SyncStatus | null): Omit<SyncStatus, 'urls'> | null {
  if (!status) return null;
  const { urls: _urls, ...rest } = status;
  return rest;
}

function describeSync(source: Source): string {
  const status = source.lastStatus as SyncStatus | null;
  if (!source.lastSyncedAt || !status) return 'never synced';
  const when = `last synced ${source.lastSyncedAt.toISOString()}`;
  if (status.error) return `${when}: failed: ${status.error.message}`;
  const what =
    status.mode === 'queued'
      ? `${status.enqueued ?? 0} documents queued`
      : `${status.created ?? 0} new, ${status.updated ?? 0} updated, ${status.unchanged ?? 0} unchanged, ` +
        `${status.failed ?? 0} failed`;
  return `${when}: ${status.documents} documents; ${what}, ${status.retired} retired`;
}
