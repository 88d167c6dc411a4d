import { type Config, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { createEmbedder, type Embedder } from '../knowledge/embed/index.ts';
import { initTelemetry } from '../ops/telemetry.ts';

/** What a command works with: validated config, an open, migrated database and the active embedder. */
export interface Runtime {
  config: Config;
  database: Database;
  embedder: Embedder;
}

/** The `--data-dir` option every command takes. */
export const dataDirOption = ['--data-dir <dir>', 'embedded database directory (default ./.parley)'] as const;

export interface CommonOptions {
  dataDir?: string;
}

/** Opens the runtime for one command and always closes the database afterwards. */
export async function withRuntime<T>(options: CommonOptions, run: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir: options.dataDir });
  await initTelemetry(config, { serviceName: 'parley' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database.db);
    return await run({ config, database, embedder: createEmbedder(config) });
  } finally {
    await database.close();
  }
}

export { ingestSettings } from '../knowledge/ingest.ts';
