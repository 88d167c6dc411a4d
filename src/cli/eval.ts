import fs from 'node:fs';
import path from 'node:path';
import { type Command } from 'commander';
import { evaluateRetrieval, readEvalQueries } from '../knowledge/evaluate.ts';
import { ingestInputs } from '../knowledge/ingest.ts';
import { searchKnowledge } from '../knowledge/search.ts';
import { ingestSettings, withRuntime } from './runtime.ts';

export function registerEval(program: Command): void {
  const evalCmd = program.command('eval').description('Measure quality');
  evalCmd
    .command('retrieval')
    .description(
      'Ingest <set-dir>/corpus and report document-level recall@1/5/10 and MRR@10 over its queries',
    )
    .argument('<set-dir>', 'an eval set: corpus/*.md and queries.jsonl')
    .option('--queries <file>', 'queries file (default <set-dir>/queries.jsonl)')
    .option('--json', 'print one JSON object')
    .option('--data-dir <dir>', 'database directory to ingest into (default ./.parley)')
    .action(async (setDir: string, opts: { queries?: string; json?: boolean; dataDir?: string }) => {
      const corpus = path.join(setDir, 'corpus');
      const queriesFile = opts.queries ?? path.join(setDir, 'queries.jsonl');
      if (!fs.existsSync(corpus)) throw new Error(`${corpus}: no corpus folder in this eval set`);
      const queries = await readEvalQueries(queriesFile);
      await withRuntime(opts, async ({ config, database, embedder }) => {
        const deps = { db: database.db, embedder };
        const report = await ingestInputs(deps, [corpus], ingestSettings(config));
        if (report.failed > 0 && !opts.json) console.error(`${report.failed} corpus files failed to ingest`);
        const metrics = await evaluateRetrieval(queries, (q) => searchKnowledge(deps, q, { limit: 50 }));
        if (opts.json) console.log(JSON.stringify(metrics));
        else {
          console.log(`Queries: ${metrics.n}  (${path.basename(queriesFile)})`);
          console.log(`recall@1  ${metrics.recall_at_1.toFixed(3)}`);
          console.log(`recall@5  ${metrics.recall_at_5.toFixed(3)}`);
          console.log(`recall@10 ${metrics.recall_at_10.toFixed(3)}`);
          console.log(`MRR@10    ${metrics.mrr_at_10.toFixed(3)}`);
          console.log(`${metrics.ms_per_query} ms per query`);
        }
      });
    });
}
