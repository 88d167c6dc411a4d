import { type Command } from 'commander';
import { loadConfig } from '../config.ts';
import {
  createBackup,
  defaultMaxLineChars,
  type Manifest,
  type ReadOptions,
  restoreBackup,
  verifyArchive,
} from '../ops/backup/backup.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

function describeTables(manifest: Manifest): string {
  const width = Math.max(...manifest.tables.map((t) => t.name.length));
  return manifest.tables.map((t) => `  ${t.name.padEnd(width)}  ${t.rows}`).join('\n');
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** What the operator must know about where an archive came from before trusting what it restores. */
function signatureWarning(file: string, manifest: Manifest): string | undefined {
  if (manifest.signature === 'unsigned') {
    return (
      `warning: ${file} is not signed, so nothing shows it is the archive Parley wrote: anyone able to edit ` +
      'it could have added a staff token or changed any row. Set PARLEY_BACKUP_KEY so backups are signed.'
    );
  }
  if (manifest.signature === 'unchecked') {
    return (
      `warning: ${file} is signed, but PARLEY_BACKUP_KEY is not set, so its signature was not checked; ` +
      'set the key that signed it to check it.'
    );
  }
  return undefined;
}

interface RestoreFlags {
  dataDir?: string;
  force?: boolean;
  maintenanceWorkMem?: string;
  allowUnsigned?: boolean;
  maxLineMb?: string;
}

/** `parley backup`: the archive, signed when a key is configured, with configured secrets blanked. */
async function backupCommand(file: string, opts: { dataDir?: string; json?: boolean }): Promise<void> {
  await withRuntime(opts, async ({ config, database }) => {
    const start = performance.now();
    const { bytes, manifest } = await createBackup(database, file, {
      key: config.backupKey,
      // Exact secrets only: documents may quote credential-shaped examples that must survive a restore.
      redact: createRedactor(configuredSecrets(config), { knownShapes: false }),
    });
    if (opts.json) {
      console.log(JSON.stringify({ file, bytes, ...manifest }, null, 2));
      return;
    }
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(describeTables(manifest));
    console.log(
      `Backed up ${rows} rows of ${manifest.tables.length} tables from ${database.backend} to ${file} ` +
        `(${megabytes(bytes)}, ${((performance.now() - start) / 1000).toFixed(1)} s` +
        `${config.backupKey ? ', signed' : ''}).`,
    );
    if (!config.backupKey)
      console.error('warning: PARLEY_BACKUP_KEY is not set, so the archive is not signed.');
  });
}

/** How the archive is read: the key from the environment, and the flags that relax the checks. */
function readOptions(opts: RestoreFlags): ReadOptions {
  const maxLineMb = opts.maxLineMb === undefined ? undefined : Number(opts.maxLineMb);
  if (maxLineMb !== undefined && !(maxLineMb > 0)) throw new Error('--max-line-mb must be a positive number');
  return {
    key: loadConfig({ dataDir: opts.dataDir }).backupKey,
    allowUnsigned: opts.allowUnsigned,
    maxLineChars: maxLineMb === undefined ? undefined : Math.round(maxLineMb * 2 ** 20),
  };
}

/** `parley restore`: checks the whole archive (and its signature) before the database is even opened. */
async function restoreCommand(file: string, opts: RestoreFlags): Promise<void> {
  const start = performance.now();
  const reading = readOptions(opts);
  // A bad archive leaves the target exactly as it was.
  const manifest = await verifyArchive(file, reading);
  const warning = signatureWarning(file, manifest);
  if (warning) console.error(warning);
  await withRuntime(opts, async ({ database, embedder }) => {
    const report = await restoreBackup(database.db, file, {
      ...reading,
      manifest,
      force: opts.force,
      maintenanceWorkMem: opts.maintenanceWorkMem,
    });
    console.log(describeTables(manifest));
    console.log(
      `Restored ${file} (Parley ${manifest.parleyVersion}, ${manifest.createdAt}, from ${manifest.source.backend}) ` +
        `into ${database.backend}${report.replaced ? ', replacing what was there' : ''}; ` +
        `${manifest.signature === 'verified' ? 'its signature is valid and ' : ''}` +
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
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Write a consistent archive of every Parley table (embedded or DATABASE_URL)')
    .argument('<file>', "archive to write: gzip'd JSON Lines, e.g. parley-2026-11-24.jsonl.gz")
    .option(...dataDirOption)
    .option('--json', 'print the manifest as JSON')
    .action(backupCommand);
  program
    .command('restore')
    .description('Load an archive into an empty database (embedded or DATABASE_URL); all or nothing')
    .argument('<file>', 'archive written by `parley backup`')
    .option('--force', 'replace everything in a database that is not empty')
    .option('--maintenance-work-mem <size>', 'memory for rebuilding the vector index, e.g. 1GB')
    .option('--allow-unsigned', 'restore an unsigned archive although PARLEY_BACKUP_KEY is set')
    .option(
      '--max-line-mb <n>',
      `longest line accepted, in MB (default ${defaultMaxLineChars / 2 ** 20}); raise it only for an archive you trust`,
    )
    .option(...dataDirOption)
    .action(restoreCommand);
}
