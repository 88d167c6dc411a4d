import { type Command } from 'commander';
import { pendingMigrations } from '../db/migrate.ts';
import { reindexKnowledge } from '../knowledge/reindex.ts';
import { dataDirOption, withRuntime } from './runtime.ts';
import { registerTokens } from './serve.ts';

export function registerAdmin(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (PGlite or DATABASE_URL)')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      // withRuntime migrates on open; report what is now applied.
      await withRuntime(opts, async ({ database }) => {
        const pending = await pendingMigrations(database.db);
        console.log(
          `${database.backend} ${database.location}: ${pending.length === 0 ? 'schema up to date' : `pending: ${pending.join(', ')}`}`,
        );
      });
    });
  program
    .command('reindex')
    .description('Re-embed every chunk with the active embedder (after changing the embedding model)')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      await withRuntime(opts, async ({ database, embedder }) => {
        const r = await reindexKnowledge(database.db, embedder, (n) => process.stderr.write(`\r${n} chunks`));
        console.error(`\nRe-embedded ${r.chunks} chunks: ${r.from ?? '(none)'} → ${r.to}`);
      });
    });
  registerTokens(
    program.command('admin').description('Staff access: API tokens for the console and admin API'),
  );
}
