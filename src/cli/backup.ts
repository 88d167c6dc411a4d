import { type Command } from 'commander';
import { createBackup, type Manifest, restoreBackup, verifyArchive } from '../ops/backup/backup.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

function describeTables(manifest: Manifest): string {
  const width = Math.max(...manifest.tables.map((t) => t.name.length));
  return manifest.tables.map((t) => `  ${t.name.padEnd(width)}  ${t.rows}`).join('\n');
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Write a consistent archive of every Parley table (embedded or DATABASE_URL)')
    .argument('<file>', "archive to write: gzip'd JSON Lines, e.g. parley-2026-11-24.jsonl.gz")
    .option(...dataDirOption)
    .option('--json', 'print the manifest as JSON')
    .action(async (file: string, opts: { dataDir?: string; json?: boolean }) => {
      await withRuntime(opts, async ({ database }) => {
        const start = performance.now();
        const { bytes, manifest } = await createBackup(database, file);
        if (opts.json) {
          console.log(JSON.stringify({ file, bytes, ...manifest }, null, 2));
          return;
        }
        const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
        console.log(describeTables(manifest));
        console.log(
          `Backed up ${rows} rows of ${manifest.tables.length} tables from ${database.backend} to ${file} ` +
            `(${megabytes(bytes)}, ${((performance.now() - start) / 1000).toFixed(1)} s).`,
        );
      });
    });
  program
    .command('restore')
    .description('Load an archive into an empty database (embedded or DATABASE_URL); all or nothing')
    .argument('<file>', 'archive written by `parley backup`')
    .option('--force', 'replace everything in a database that is not empty')
    .option('--maintenance-work-mem <size>', 'memory for rebuilding the vector index, e.g. 1GB')
    .option(...dataDirOption)
    .action(
      async (file: string, opts: { dataDir?: string; force?: boolean; maintenanceWorkMem?: string }) => {
        const start = performance.now();
        // Checked before the database is even opened: a bad archive leaves the target exactly as it was.
        const manifest = await verifyArchive(file);
        await withRuntime(opts, async ({ database, embedder }) => {
          const report = await restoreBackup(database.db, file, {
            manifest,
            force: opts.force,
            maintenanceWorkMem: opts.maintenanceWorkMem,
          });
          console.log(describeTables(manifest));
          console.log(
            `Restored ${file} (Parley ${manifest.parleyVersion}, ${manifest.createdAt}, from ${manifest.source.backend}) ` +
              `into ${database.backend}${report.replaced ? ', replacing what was there' : ''}; ` +
              `every table's count and checksum match${report.vectorIndex ? '; vector index rebuilt' : ''} ` +
              `(${((performance.now() - start) / 1000).toFixed(1)} s).`,
          );
          const space = manifest.embedding;
          if (space && (space.model !== embedder.model || space.dimensions !== embedder.dimensions)) {
            console.error(
              `warning: the archive's knowledge base is embedded with ${space.model} (${space.dimensions} ` +
                `dimensions) but the active embedder is ${embedder.model} (${embedder.dimensions}); configure ` +
                'the same embedder, or run `parley reindex` before searching',
            );
          }
        });
      },
    );
}
