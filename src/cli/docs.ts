import { type Command, InvalidArgumentError } from 'commander';
import { diffVersions, listDocuments, listVersions, rollbackDocument } from '../knowledge/versions.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

/**
 * A version argument as the console and `docs list` show it (`v3`) or as a bare number (`3`).
 *
 * @example versionNumber('v2') // 2
 */
export function versionNumber(value: string): number {
  const digits = /^v?(\d+)$/i.exec(value.trim())?.[1];
  const n = Number(digits);
  if (!digits || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a version such as v2 or 2');
  }
  return n;
}

export function registerDocs(program: Command): void {
  const docs = program.command('docs').description('Inspect documents and their versions');
  docs
    .command('list')
    .description('List documents with their current version')
    .option('--all', 'include retired documents')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(async (opts: { all?: boolean; json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        const list = await listDocuments(database.db, { includeRetired: opts.all ?? false });
        if (opts.json) return console.log(JSON.stringify(list, null, 2));
        if (list.length === 0) return console.log('No documents yet: try `parley ingest <folder>`.');
        for (const d of list) {
          const tags = [d.format, d.kind, d.product, d.status === 'retired' ? 'RETIRED' : undefined].filter(
            Boolean,
          );
          console.log(
            `v${d.currentVersion ?? '-'}  ${d.title}  [${tags.join(', ')}]  ${d.chunks} chunks\n    ${d.source}`,
          );
        }
        console.log(`\n${list.length} documents`);
      });
    });
  docs
    .command('versions')
    .description('List the versions of a document (by id, source path/URL or file name)')
    .argument('<doc>')
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(async (ref: string, opts: { json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        const { document, versions } = await listVersions(database.db, ref);
        if (opts.json) return console.log(JSON.stringify({ document, versions }, null, 2));
        console.log(`${document.title}\n${document.source}\n`);
        for (const v of versions) {
          console.log(
            `${v.current ? '*' : ' '} v${v.version}  ${v.createdAt.toISOString()}  ${v.chunkCount} chunks  ` +
              `sha256:${v.contentHash.slice(0, 12)}  ${v.title}`,
          );
        }
      });
    });
  docs
    .command('diff')
    .description('Show what changed between two versions of a document')
    .argument('<doc>')
    .argument('<v1>', 'older version, e.g. v1 or 1', versionNumber)
    .argument('<v2>', 'newer version, e.g. v2 or 2', versionNumber)
    .option(...dataDirOption)
    .action(async (ref: string, v1: number, v2: number, opts: { dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        process.stdout.write(await diffVersions(database.db, ref, v1, v2));
      });
    });
  docs
    .command('rollback')
    .description('Make an earlier version of a document current again')
    .argument('<doc>')
    .argument('<version>', 'version to restore, e.g. v1 or 1', versionNumber)
    .option(...dataDirOption)
    .action(async (ref: string, version: number, opts: { dataDir?: string }) => {
      await withRuntime(opts, async ({ database }) => {
        const v = await rollbackDocument(database.db, ref, version);
        console.log(`Version ${v.version} ("${v.title}") is current again; search uses it now.`);
      });
    });
}
