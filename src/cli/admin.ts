import { type Command } from 'commander';
import { count } from 'drizzle-orm';
import { pendingMigrations } from '../db/migrate.ts';
import { documents } from '../db/schema/index.ts';
import { reindexKnowledge } from '../knowledge/reindex.ts';
import { dataDirOption, withRuntime } from './runtime.ts';
import { examplesDir, seedDemo } from './seed.ts';

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
  program
    .command('start')
    .description('First run: migrate, seed the demo company if the database is empty, and say what to try')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const [row] = await rt.database.db.select({ n: count() }).from(documents);
        if ((row?.n ?? 0) === 0) {
          console.log(`Seeding the demo company from ${examplesDir} …`);
          const { ingest } = await seedDemo(rt);
          console.log(`Indexed ${ingest.results.length} documents (${ingest.chunks} chunks).`);
        }
        const where =
          rt.database.backend === 'pglite'
            ? `embedded database in ${rt.database.location}`
            : rt.database.location;
        console.log(`
Parley is ready (${where}; embeddings: ${rt.embedder.model}).

Try:
  npx parley search "my earbuds won't pair"
  npx parley search "how long is the warranty" --json
  npx parley docs list
  npx parley ingest ./your-docs --prune
  npx parley eval retrieval ../shared/data/mtrag-ibmcloud --queries ../shared/data/mtrag-ibmcloud/queries-rewrite.jsonl

The chat server, widget and admin console arrive with \`parley serve\` (coming next).`);
      });
    });
}
