import path from 'node:path';
import { type Command } from 'commander';
import { type IngestResult, ingestInputs } from '../knowledge/ingest.ts';
import { dataDirOption, ingestSettings, withRuntime } from './runtime.ts';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Ingest files, folders (recursively) and web pages into the knowledge base')
    .argument('<inputs...>', 'paths to files or folders, or http(s) URLs')
    .option('--prune', 'retire documents that were ingested from a given folder but are gone from it')
    .option('--json', 'print the per-source results as JSON')
    .option(...dataDirOption)
    .action(async (inputs: string[], opts: { prune?: boolean; json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async ({ config, database, embedder }) => {
        if (!opts.json) console.error(`Embedding with ${embedder.model} into ${database.location}`);
        const started = performance.now();
        const report = await ingestInputs({ db: database.db, embedder }, inputs, ingestSettings(config), {
          prune: opts.prune ?? false,
          onResult: opts.json ? undefined : (r, done, total) => console.error(formatResult(r, done, total)),
        });
        const seconds = (performance.now() - started) / 1000;
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
        } else {
          const count = (s: string) => report.results.filter((r) => r.status === s).length;
          console.error(
            `\n${report.results.length} sources: ${count('created')} new, ${count('updated')} updated, ` +
              `${count('restored')} restored, ${count('unchanged')} unchanged, ${count('retired')} retired, ` +
              `${report.failed} failed; ${report.chunks} chunks in ${seconds.toFixed(1)} s`,
          );
          if (report.skipped.length) {
            console.error(
              `Skipped ${report.skipped.length} files of types Parley does not read, e.g. ${report.skipped[0]}`,
            );
          }
        }
        if (report.failed > 0) process.exitCode = 1;
      });
    });
}

function formatResult(r: IngestResult, done: number, total: number): string {
  const where = `[${done}/${total}]`;
  const name = /^https?:/.test(r.source) ? r.source : path.relative(process.cwd(), r.source) || r.source;
  if (r.status === 'failed') return `${where} ✗ ${r.error?.message ?? name} [${r.error?.code}]`;
  const detail =
    r.chunks !== undefined ? ` (v${r.version}, ${r.chunks} chunks)` : r.version ? ` (v${r.version})` : '';
  return `${where} ${r.status === 'unchanged' ? '=' : '✓'} ${r.status} ${name}${detail}`;
}
