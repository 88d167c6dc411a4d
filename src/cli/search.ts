import { type Command, InvalidArgumentError } from 'commander';
import { searchKnowledge } from '../knowledge/search.ts';
import { dataDirOption, withRuntime } from './runtime.ts';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Search the knowledge base (hybrid full-text + vector), best match first')
    .argument('<query>', 'what to look for')
    .option('--limit <n>', 'how many passages', positiveInt, 5)
    .option('--product <sku>', 'only documents about this product')
    .option('--type <type>', 'only documents of this type (guide, policy, faq, ...)')
    .option('--json', 'print JSON: [{source, documentId, versionId, chunkId, heading, score, text}]')
    .option(...dataDirOption)
    .action(
      async (
        query: string,
        opts: { limit: number; product?: string; type?: string; json?: boolean; dataDir?: string },
      ) => {
        await withRuntime(opts, async ({ database, embedder }) => {
          const hits = await searchKnowledge({ db: database.db, embedder }, query, {
            limit: opts.limit,
            product: opts.product,
            kind: opts.type,
          });
          if (opts.json) {
            const out = hits.map(({ source, documentId, versionId, chunkId, heading, score, text }) => ({
              source,
              documentId,
              versionId,
              chunkId,
              heading,
              score,
              text,
            }));
            console.log(JSON.stringify(out, null, 2));
            return;
          }
          if (hits.length === 0) console.log('No matching passages.');
          hits.forEach((h, i) => {
            const where = [h.title, h.heading].filter(Boolean).join(' > ');
            console.log(`${i + 1}. ${where}  (${h.score.toFixed(4)})\n   ${h.source}`);
            console.log(`   ${h.text.replace(/\s+/g, ' ').slice(0, 240)}${h.text.length > 240 ? '…' : ''}\n`);
          });
        });
      },
    );
}
