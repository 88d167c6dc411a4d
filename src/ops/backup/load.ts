import { type SQL, sql } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';
import { type ArchiveEntry, BackupError, type Manifest } from './archive.ts';
import { migrationsTable, quoteIdent, type TableInfo } from './tables.ts';

// A batch goes to the database as one JSON parameter; big enough to amortise round trips, small enough that a
// page of 512-d vectors (about 6 kB a chunk) stays a few MB.
const batchRows = 1000;
const batchChars = 4 * 1024 * 1024;

interface TableLoader {
  /** Inserts a batch of row lines. */
  insert(rows: string): Promise<void>;
  /** Fills in the columns that referenced tables not loaded yet when this table was. */
  finish(): Promise<void>;
}

/**
 * Inserts the rows of an archive's entries into `tables`, within the caller's transaction, table by table in
 * the archive's (foreign-key-safe) order. Returns the manifest of the archive as read now, which must be the
 * one verified before (`expected`).
 */
export async function loadTables(
  tx: Db,
  entries: AsyncIterable<ArchiveEntry>,
  tables: Map<string, TableInfo>,
  expected: Manifest,
): Promise<Manifest> {
  const loaded = new Set<string>();
  const archived = new Set(expected.tables.map((t) => t.name));
  const loaders: TableLoader[] = [];
  let loader: TableLoader | undefined;
  let batch: string[] = [];
  let chars = 0;
  let manifest: Manifest | undefined;
  const flush = async () => {
    if (batch.length > 0) await loader!.insert(`[${batch.join(',')}]`);
    batch = [];
    chars = 0;
  };
  for await (const entry of entries) {
    if (entry.kind === 'header') {
      const same =
        entry.header.createdAt === expected.createdAt &&
        JSON.stringify(entry.header.tables) === JSON.stringify(tablesOf(expected));
      if (!same) {
        throw new BackupError(
          'mismatch',
          'the archive changed while it was being restored; nothing was restored',
        );
      }
    } else if (entry.kind === 'table') {
      await flush();
      const columns = expected.tables.find((t) => t.name === entry.name)!.columns.map((c) => c.name);
      loader = await tableLoader(
        tx,
        tables.get(entry.name)!,
        columns,
        (name) => archived.has(name) && !loaded.has(name),
      );
      loaders.push(loader);
      loaded.add(entry.name);
    } else if (entry.kind === 'row') {
      batch.push(entry.line);
      chars += entry.line.length;
      if (batch.length >= batchRows || chars >= batchChars) await flush();
    } else {
      await flush();
      manifest = entry.manifest;
    }
  }
  for (const l of loaders) await l.finish();
  return manifest!;
}

function tablesOf(manifest: Manifest) {
  return manifest.tables.map((t) => ({ name: t.name, columns: t.columns }));
}

/**
 * The columns of `table` that refer to rows still to come, to be set once everything is in; prepares the
 * temporary table that remembers their values. Refuses an order it cannot repair this way.
 */
async function deferredColumns(
  tx: Db,
  table: TableInfo,
  columns: string[],
  pending: (table: string) => boolean,
): Promise<string[]> {
  const deferred = table.foreignKeys
    .filter((fk) => pending(fk.references) || fk.references === table.name)
    .flatMap((fk) => fk.columns)
    .filter((c) => columns.includes(c));
  if (deferred.length === 0) return deferred;
  const notNull = deferred.filter((c) => table.columns.find((col) => col.name === c)?.notNull);
  if (notNull.length > 0 || table.primaryKey.length !== 1) {
    throw new BackupError(
      'incompatible',
      `the archive's table order cannot be loaded here: ${table.name}.${deferred.join(', ')} refers to rows ` +
        'that come later',
    );
  }
  await tx.execute(
    sql`CREATE TEMP TABLE IF NOT EXISTS parley_restore_deferred (tbl text, col text, pk text, value text)
        ON COMMIT DROP`,
  );
  return deferred;
}

/**
 * How one table is loaded: `INSERT ... SELECT` over the JSON batch, each text value cast to the column's type.
 * A foreign key to a table that is still to come (the documents ↔ versions cycle) is inserted as NULL and
 * remembered in a temporary table, then set once everything is in.
 */
async function tableLoader(
  tx: Db,
  table: TableInfo,
  columns: string[],
  pending: (table: string) => boolean,
): Promise<TableLoader> {
  const name = quoteIdent(table.name);
  const typeOf = (column: string) => table.columns.find((c) => c.name === column)!.type;
  const deferred = await deferredColumns(tx, table, columns, pending);
  const [key] = table.primaryKey;
  const values = columns
    .map((c, i) => (deferred.includes(c) ? 'NULL' : `(r->>${i})::${typeOf(c)}`))
    .join(', ');
  const insert = (rows: string) =>
    sql`INSERT INTO ${sql.raw(name)} (${sql.raw(columns.map(quoteIdent).join(', '))})
        SELECT ${sql.raw(values)} FROM jsonb_array_elements(${rows}::jsonb) AS r`;
  const statements: ((rows: string) => SQL)[] = [insert];
  if (table.name === migrationsTable) {
    // The migrations just applied here are recorded already; the archive's own records replace them.
    const at = columns.indexOf('name');
    statements.unshift(
      (rows) =>
        sql`DELETE FROM ${sql.raw(name)} WHERE name IN (SELECT r->>${sql.raw(String(at))}
            FROM jsonb_array_elements(${rows}::jsonb) AS r)`,
    );
  }
  for (const column of deferred) {
    const [pk, at] = [columns.indexOf(key!), columns.indexOf(column)];
    statements.push(
      (rows) =>
        sql`INSERT INTO parley_restore_deferred (tbl, col, pk, value)
            SELECT ${table.name}, ${column}, r->>${sql.raw(String(pk))}, r->>${sql.raw(String(at))}
            FROM jsonb_array_elements(${rows}::jsonb) AS r WHERE r->>${sql.raw(String(at))} IS NOT NULL`,
    );
  }
  return {
    async insert(rows) {
      for (const statement of statements) await tx.execute(statement(rows));
    },
    async finish() {
      for (const column of deferred) {
        await tx.execute(
          sql`UPDATE ${sql.raw(name)} AS t SET ${sql.raw(quoteIdent(column))} = d.value::${sql.raw(typeOf(column))}
              FROM parley_restore_deferred d
              WHERE d.tbl = ${table.name} AND d.col = ${column}
                AND t.${sql.raw(quoteIdent(key!))} = d.pk::${sql.raw(typeOf(key!))}`,
        );
      }
    },
  };
}
