import { forgetCompanyProfile } from '../support/company-profile.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { settings } from '../db/schema/index.ts';
import { ingestInputs, type IngestReport } from '../knowledge/ingest.ts';
import { importRecords, importKinds, type ImportResult } from '../support/import.ts';
import { dataDirOption, ingestSettings, type Runtime, withRuntime } from './runtime.ts';

/** The demo company shipped with Parley. */
export const examplesDir = fileURLToPath(new URL('../../examples', import.meta.url));

export interface SeedResult {
  imports: ImportResult[];
  ingest: IngestReport;
}

/** Loads the demo company: products, customers, orders, company profile, then its documents. */
export async function seedDemo(rt: Runtime, onResult?: (line: string) => void): Promise<SeedResult> {
  const db = rt.database.db;
  const imports: ImportResult[] = [];
  for (const kind of ['products', 'customers', 'orders'] as const) {
    imports.push(await importRecords(db, kind, path.join(examplesDir, `${kind}.jsonl`)));
  }
  const company = JSON.parse(fs.readFileSync(path.join(examplesDir, 'company.json'), 'utf8')) as unknown;
  await db
    .insert(settings)
    .values({ key: 'company', value: company })
    .onConflictDoUpdate({ target: settings.key, set: { value: company, updatedAt: new Date() } });
  forgetCompanyProfile(db);
  const ingest = await ingestInputs(
    { db, embedder: rt.embedder },
    [path.join(examplesDir, 'docs')],
    ingestSettings(rt.config),
    {
      prune: true,
      onResult: onResult ? (r) => onResult(`${r.status} ${path.relative(examplesDir, r.source)}`) : undefined,
    },
  );
  return { imports, ingest };
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('Load sample data')
    .requiredOption('--demo', 'the demo company: Kestrel Electronics (docs, products, customers, orders)')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const { imports, ingest } = await seedDemo(rt);
        for (const r of imports) console.log(`${r.kind}: ${r.inserted} new, ${r.updated} updated`);
        console.log(
          `documents: ${ingest.results.length} (${ingest.chunks} new chunks, ${ingest.failed} failed)`,
        );
        if (ingest.failed) process.exitCode = 1;
      });
    });
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Upsert customers, products or orders from a JSONL file (all or nothing)')
    .argument('<kind>', importKinds.join('|'))
    .argument('<file>', 'JSON Lines file')
    .option(...dataDirOption)
    .action(async (kind: string, file: string, opts: { dataDir?: string }) => {
      if (!(importKinds as readonly string[]).includes(kind)) {
        throw new Error(`unknown kind "${kind}": expected ${importKinds.join(', ')}`);
      }
      await withRuntime(opts, async ({ database }) => {
        const r = await importRecords(database.db, kind as (typeof importKinds)[number], file);
        console.log(`${r.kind}: ${r.inserted} new, ${r.updated} updated`);
      });
    });
}
