import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { migrate, readMigrations } from '../../db/migrate.ts';
import { readEmbeddingSpace, writeEmbeddingSpace } from '../../knowledge/embedding-space.ts';
import { BackupError, type Manifest, readArchive, type ReadOptions, verifyArchive } from './archive.ts';
import { loadTables } from './load.ts';
import { finishMovedColumns, reinstateMovedColumns } from './moved-columns.ts';
import {
  applicationTables,
  describeTables,
  migrationsTable,
  quoteIdent,
  readRowLines,
  type TableInfo,
  TableDigest,
  useCanonicalText,
} from './tables.ts';

export interface RestoreOptions extends ReadOptions {
  /** Replace the data of a database that is not empty (truncated in the same transaction as the load). */
  force?: boolean;
  /** The manifest `verifyArchive` returned for this file, to skip a second verification pass. */
  manifest?: Manifest;
  /** `maintenance_work_mem` for rebuilding the vector index, e.g. `1GB` (default: the server's setting). */
  maintenanceWorkMem?: string;
}

export interface RestoreReport {
  manifest: Manifest;
  /** Whether rows already in the database were replaced (`force`). */
  replaced: boolean;
  /** Whether the HNSW index was rebuilt for the archive's embedding space. */
  vectorIndex: boolean;
  /** Seconds spent in each step; `indexes` covers rebuilding every index and the commit. */
  seconds: { verifyArchive: number; load: number; verifyTables: number; indexes: number; analyze: number };
}

/**
 * Loads an archive into an empty database of either backend. The archive is read and checked in full before
 * anything is written; then migrations are applied and, in one transaction, every table is loaded in
 * foreign-key order, each table's row count and checksum is recomputed from the database and compared with the
 * manifest, columns an older archive holds that a migration has since moved are moved as it did, and the
 * indexes (the HNSW index for the archive's embedding space included) are rebuilt. Any problem rolls everything
 * back and raises a `BackupError` naming it.
 */
export async function restoreBackup(
  db: Db,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  if (options.maintenanceWorkMem && !/^\d+\s*(kB|MB|GB)$/.test(options.maintenanceWorkMem)) {
    throw new Error(`maintenance_work_mem must look like 512MB or 1GB, not ${options.maintenanceWorkMem}`);
  }
  const lap = stopwatch();
  const manifest = options.manifest ?? (await verifyArchive(file, options));
  const verifyArchiveSeconds = lap();
  const known = new Set(readMigrations().map((m) => m.name));
  const unknown = manifest.migrations.filter((m) => !known.has(m));
  if (unknown.length > 0) {
    throw new BackupError(
      'incompatible',
      `${file} was made by a newer Parley (${manifest.parleyVersion}) whose schema has migrations this one ` +
        `lacks (${unknown.join(', ')}); upgrade Parley, then restore`,
    );
  }
  await migrate(db);
  const names = applicationTables();
  const report = await db.transaction(async (tx) => {
    await useCanonicalText(tx);
    const moved = await reinstateMovedColumns(tx, manifest);
    const tables = await describeTables(tx, names);
    checkColumns(file, manifest, tables);
    const data = names.filter((n) => n !== migrationsTable);
    const list = data.map(quoteIdent).join(', ');
    // Keep writers (a running `parley serve`) out between the emptiness check and the commit.
    await tx.execute(sql.raw(`LOCK TABLE ${list} IN EXCLUSIVE MODE`));
    const occupied = await occupiedTables(tx, data);
    if (occupied.length > 0 && !options.force) {
      throw new BackupError(
        'not-empty',
        `the database is not empty (${occupied.map((t) => `${t.name}: ${t.rows} rows`).join(', ')}); ` +
          'restore needs an empty database, or --force to replace everything in it',
      );
    }
    if (occupied.length > 0) await tx.execute(sql.raw(`TRUNCATE ${list}`));
    const indexes = await dropSecondaryIndexes(tx, names);
    // Read and checked again as it loads, signature included: the file may have changed since it was verified.
    const loaded = await loadTables(tx, readArchive(file, options), tables, manifest);
    const load = lap();
    await verifyTables(tx, loaded, tables);
    await finishMovedColumns(tx, moved);
    const verify = lap();
    for (const definition of indexes) await tx.execute(sql.raw(definition));
    const vectorIndex = await rebuildVectorIndex(tx, options.maintenanceWorkMem);
    return { manifest: loaded, replaced: occupied.length > 0, vectorIndex, load, verify };
  });
  const indexes = lap();
  // Fresh statistics, so the planner picks the vector and full-text indexes as it would on a live database.
  await db.execute(sql.raw(`ANALYZE ${names.map(quoteIdent).join(', ')}`));
  const { load, verify, ...rest } = report;
  return {
    ...rest,
    seconds: { verifyArchive: verifyArchiveSeconds, load, verifyTables: verify, indexes, analyze: lap() },
  };
}

/** A function returning the seconds since it was last called (or created). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

function checkColumns(file: string, manifest: Manifest, tables: Map<string, TableInfo>): void {
  for (const archived of manifest.tables) {
    const table = tables.get(archived.name);
    if (!table) {
      throw new BackupError('incompatible', `${file} has a table ${archived.name} this database does not`);
    }
    const columns = new Set(table.columns.map((c) => c.name));
    const missing = archived.columns.filter((c) => !columns.has(c.name)).map((c) => c.name);
    if (missing.length > 0) {
      throw new BackupError(
        'incompatible',
        `${file} has columns ${archived.name}.(${missing.join(', ')}) this database does not`,
      );
    }
  }
}

async function occupiedTables(tx: Db, names: string[]): Promise<{ name: string; rows: number }[]> {
  const counts = sql.join(
    names.map((n) => sql.raw(`SELECT '${n}' AS name, count(*)::int AS rows FROM ${quoteIdent(n)}`)),
    sql` UNION ALL `,
  );
  return (await queryRows<{ name: string; rows: number }>(tx, counts)).filter((t) => Number(t.rows) > 0);
}

/**
 * Drops the indexes that only speed up reads, returning the definitions of all but the vector ones; building
 * an index once after the load is much faster than updating it row by row. Vector indexes depend on the
 * embedding space and are rebuilt from it. Indexes behind primary keys and unique constraints stay.
 */
async function dropSecondaryIndexes(tx: Db, names: string[]): Promise<string[]> {
  const list = sql.join(
    names.map((n) => sql`${n}`),
    sql`, `,
  );
  const indexes = await queryRows<{ name: string; definition: string; method: string }>(
    tx,
    sql`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition, am.amname AS method
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_am am ON am.oid = i.relam
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND t.relname IN (${list})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                          WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY i.relname`,
  );
  for (const index of indexes) await tx.execute(sql.raw(`DROP INDEX ${quoteIdent(index.name)}`));
  return indexes.filter((i) => i.method !== 'hnsw' && i.method !== 'ivfflat').map((i) => i.definition);
}

/** Recomputes each restored table's count and checksum and compares them with the manifest. */
async function verifyTables(tx: Db, manifest: Manifest, tables: Map<string, TableInfo>): Promise<void> {
  for (const archived of manifest.tables) {
    const digest = new TableDigest();
    // The ledger also lists the migrations this database ran and the archive's did not; compare the archive's.
    const where =
      archived.name === migrationsTable
        ? sql`name IN (${sql.join(
            manifest.migrations.map((m) => sql`${m}`),
            sql`, `,
          )})`
        : undefined;
    const columns = archived.columns.map((c) => c.name);
    const table = tables.get(archived.name)!;
    for await (const page of readRowLines(tx, table, columns, where ? { where } : {})) {
      for (const line of page) digest.add(line);
    }
    const got = digest.result();
    if (got.rows !== archived.rows || got.sha256 !== archived.sha256) {
      throw new BackupError(
        'mismatch',
        `restored ${archived.name} does not match the archive (${got.rows} rows, checksum ` +
          `${got.sha256.slice(0, 12)}…; the archive has ${archived.rows}, ${archived.sha256.slice(0, 12)}…); ` +
          'nothing was restored',
      );
    }
  }
}

/** Rebuilds the HNSW index for the restored embedding space, keeping the restored settings row exactly. */
async function rebuildVectorIndex(tx: Db, maintenanceWorkMem: string | undefined): Promise<boolean> {
  const space = await readEmbeddingSpace(tx);
  if (!space) return false;
  const [row] = await queryRows<{ value: string; updated: string }>(
    tx,
    sql`SELECT value::text AS value, updated_at::text AS updated FROM settings WHERE key = 'embedding'`,
  );
  if (maintenanceWorkMem)
    await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${maintenanceWorkMem}'`));
  await writeEmbeddingSpace(tx, { model: space.model, dimensions: space.dimensions });
  // writeEmbeddingSpace stamps the row with now(); the restored row must stay as archived.
  await tx.execute(
    sql`UPDATE settings SET value = ${row!.value}::jsonb, updated_at = ${row!.updated}::timestamptz
        WHERE key = 'embedding'`,
  );
  return true;
}
