import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { type Database, type Db, queryRows } from '../../db/client.ts';
import { readEmbeddingSpace } from '../../knowledge/embedding-space.ts';
import {
  type ArchiveHeader,
  archiveFormat,
  archiveVersion,
  type Manifest,
  type TableSum,
  writeArchive,
} from './archive.ts';
import { ArchiveMac } from './signature.ts';
import {
  applicationTables,
  describeTables,
  loadOrder,
  migrationsTable,
  readRowLines,
  TableDigest,
  useCanonicalText,
} from './tables.ts';

export {
  BackupError,
  type BackupProblem,
  type Manifest,
  type ReadOptions,
  verifyArchive,
} from './archive.ts';
export { defaultMaxLineChars } from './archive-lines.ts';
export type { SignatureState } from './signature.ts';
export { restoreBackup, type RestoreOptions, type RestoreReport } from './restore.ts';

export const parleyVersion = (
  JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export interface BackupOptions {
  /** Rows read per query. */
  pageSize?: number;
  /** `PARLEY_BACKUP_KEY`: signs the archive so a restore can tell it has not been altered. */
  key?: string | undefined;
  /**
   * Blanks configured secrets in every row (ops/redact.ts): an error message or a model's echo stored before
   * redaction existed must not travel in an archive that gets copied around.
   */
  redact?: ((text: string) => string) | undefined;
}

export interface BackupReport {
  file: string;
  /** Size of the archive on disk. */
  bytes: number;
  manifest: Manifest;
}

/**
 * Writes every application table to `file` (see archive.ts for the format), read in one repeatable-read,
 * read-only transaction so the archive is one consistent snapshot even while Parley keeps serving. Rows are
 * streamed page by page; memory does not grow with the database. Works the same on PGlite and on a server, and
 * either can restore what the other wrote. With a key the archive is signed (signature.ts).
 *
 * @example
 *   const { manifest, bytes } = await createBackup(database, 'parley-2026-11-24.jsonl.gz', { key });
 */
export async function createBackup(
  database: Pick<Database, 'db' | 'backend'>,
  file: string,
  options: BackupOptions = {},
): Promise<BackupReport> {
  const redact = options.redact ?? ((text: string) => text);
  return database.db.transaction(
    async (tx) => {
      await useCanonicalText(tx);
      const { header, tables } = await describeSnapshot(tx, database.backend);
      const sums: Record<string, TableSum> = {};
      const mac = options.key ? new ArchiveMac(options.key) : undefined;
      async function* chunks() {
        const headerLine = JSON.stringify(header);
        mac?.add(headerLine);
        yield `${headerLine}\n`;
        for (const { name, columns } of header.tables) {
          const tableLine = JSON.stringify({ table: name });
          mac?.add(tableLine);
          yield `${tableLine}\n`;
          const digest = new TableDigest();
          const names = columns.map((c) => c.name);
          const paging = options.pageSize ? { pageSize: options.pageSize } : {};
          for await (const rows of readRowLines(tx, tables.get(name)!, names, paging)) {
            const page = rows.map(redact);
            for (const line of page) {
              digest.add(line);
              mac?.add(line);
            }
            yield `${page.join('\n')}\n`;
          }
          sums[name] = digest.result();
        }
        yield `${JSON.stringify({ end: { tables: sums, ...(mac ? { signature: mac.signature() } : {}) } })}\n`;
      }
      const bytes = await writeArchive(file, chunks());
      const manifest: Manifest = {
        ...header,
        tables: header.tables.map((t) => ({ ...t, ...sums[t.name]! })),
        signature: mac ? 'verified' : 'unsigned',
      };
      return { file, bytes, manifest };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function describeSnapshot(tx: Db, backend: Database['backend']) {
  const names = applicationTables();
  const described = await describeTables(tx, names);
  const missing = names.filter((n) => !described.has(n));
  if (missing.length > 0) {
    throw new Error(`the database lacks ${missing.join(', ')}: run \`parley migrate\` first`);
  }
  const migrations = await queryRows<{ name: string }>(
    tx,
    sql`SELECT name FROM ${sql.raw(migrationsTable)} ORDER BY name COLLATE "C"`,
  );
  const [server] = await queryRows<{ version: string }>(
    tx,
    sql`SELECT current_setting('server_version') AS version`,
  );
  const space = await readEmbeddingSpace(tx);
  const header: ArchiveHeader = {
    format: archiveFormat,
    version: archiveVersion,
    parleyVersion,
    createdAt: new Date().toISOString(),
    source: { backend, postgres: server!.version },
    migrations: migrations.map((m) => m.name),
    embedding: space ? { model: space.model, dimensions: space.dimensions } : null,
    tables: loadOrder(names.map((n) => described.get(n)!)).map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
    })),
  };
  return { header, tables: described };
}
