import crypto from 'node:crypto';
import { getTableName, is, type SQL, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { type Db, queryRows } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';

/** The migrations ledger; backed up with the schema's tables, but never emptied or counted as data. */
export const migrationsTable = 'parley_migrations';

/** Every application table: each table of `src/db/schema` plus the migrations ledger. */
export function applicationTables(): string[] {
  const names = Object.values(schema)
    .filter((value) => is(value, PgTable))
    .map((table) => getTableName(table));
  return [...new Set(names), migrationsTable];
}

export interface ColumnInfo {
  name: string;
  /** The column's type as SQL spells it (`format_type`), e.g. `numeric(12,2)`, `vector`, `tsvector`. */
  type: string;
  notNull: boolean;
  /** Text-like: ordered with `COLLATE "C"` so row order does not depend on the server's locale. */
  collatable: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; references: string }[];
}

/** Columns, primary key and foreign keys of `names` as the database has them (generated columns left out). */
export async function describeTables(db: Db, names: string[]): Promise<Map<string, TableInfo>> {
  const list = sql.join(
    names.map((n) => sql`${n}`),
    sql`, `,
  );
  const columns = await queryRows<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    c: boolean;
  }>(
    db,
    sql`SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type,
          a.attnotnull AS not_null, a.attcollation <> 0 AS c
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname IN (${list})
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum`,
  );
  // json_agg(...)::text: both drivers hand text back unchanged, whatever they do with arrays.
  const constraints = await queryRows<{
    table: string;
    kind: string;
    columns: string;
    references: string | null;
  }>(
    db,
    sql`SELECT c.relname AS "table", con.contype AS kind, f.relname AS "references",
          (SELECT json_agg(a.attname ORDER BY k.i)::text
             FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class f ON f.oid = con.confrelid
        WHERE n.nspname = current_schema() AND c.relname IN (${list}) AND con.contype IN ('p', 'f')
        ORDER BY c.relname, con.conname`,
  );
  const tables = new Map<string, TableInfo>();
  for (const row of columns) {
    let table = tables.get(row.table);
    if (!table)
      tables.set(row.table, (table = { name: row.table, columns: [], primaryKey: [], foreignKeys: [] }));
    table.columns.push({ name: row.column, type: row.type, notNull: row.not_null, collatable: row.c });
  }
  for (const row of constraints) {
    const table = tables.get(row.table);
    if (!table) continue;
    const cols = JSON.parse(row.columns) as string[];
    if (row.kind === 'p') table.primaryKey = cols;
    else if (row.references) table.foreignKeys.push({ columns: cols, references: row.references });
  }
  return tables;
}

/**
 * Tables in an order that satisfies their foreign keys: each after the tables it references. A cycle
 * (documents.current_version_id ↔ document_versions.document_id) is broken at a table whose outstanding
 * references are all nullable; the restore fills those columns in once the referenced rows exist.
 */
export function loadOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const order: TableInfo[] = [];
  const outstanding = (t: TableInfo) =>
    t.foreignKeys.filter((fk) => byName.has(fk.references) && !placed.has(fk.references));
  const nullable = (t: TableInfo, columns: string[]) =>
    columns.every((c) => !t.columns.find((col) => col.name === c)?.notNull);
  while (order.length < tables.length) {
    const remaining = tables.filter((t) => !placed.has(t.name));
    const next =
      remaining.find((t) =>
        outstanding(t).every((fk) => fk.references === t.name && nullable(t, fk.columns)),
      ) ?? remaining.find((t) => outstanding(t).every((fk) => nullable(t, fk.columns)));
    if (!next) throw new Error(`no foreign-key-safe order for ${remaining.map((t) => t.name).join(', ')}`);
    placed.add(next.name);
    order.push(next);
  }
  return order;
}

/**
 * Session settings under which every value's text form is the same on PGlite and on any server: UTC
 * timestamps, ISO dates, shortest exact floats, hex bytea. Backup and restore both read under them, so a
 * table's checksum is comparable across backends.
 */
export async function useCanonicalText(tx: Db): Promise<void> {
  for (const setting of [
    `SET LOCAL TimeZone = 'UTC'`,
    `SET LOCAL DateStyle = 'ISO, YMD'`,
    `SET LOCAL IntervalStyle = 'postgres'`,
    `SET LOCAL extra_float_digits = 1`,
    `SET LOCAL bytea_output = 'hex'`,
  ]) {
    await tx.execute(sql.raw(setting));
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Streams a table's rows, in primary-key order, as serialized lines: a JSON array of each column's text form
 * (or null). Reads through a cursor in pages, so a table never sits in memory whole. Must run inside a
 * transaction that has called `useCanonicalText`.
 */
export async function* readRowLines(
  tx: Db,
  table: TableInfo,
  columns: string[],
  options: { pageSize?: number; where?: SQL } = {},
): AsyncGenerator<string[]> {
  if (table.primaryKey.length === 0) throw new Error(`${table.name} has no primary key to order its rows by`);
  const collatable = new Set(table.columns.filter((c) => c.collatable).map((c) => c.name));
  const select = columns.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
  const orderBy = table.primaryKey
    .map((c) => `${quoteIdent(c)}${collatable.has(c) ? ' COLLATE "C"' : ''}`)
    .join(', ');
  const cursor = `parley_backup_${table.name.replace(/\W/g, '_')}`;
  const where = options.where ? sql` WHERE ${options.where}` : sql``;
  await tx.execute(
    sql`DECLARE ${sql.raw(cursor)} NO SCROLL CURSOR FOR SELECT ${sql.raw(select)} FROM ${sql.raw(
      quoteIdent(table.name),
    )}${where} ORDER BY ${sql.raw(orderBy)}`,
  );
  let rows: Record<string, string | null>[];
  do {
    rows = await queryRows(tx, sql.raw(`FETCH FORWARD ${options.pageSize ?? 500} FROM ${cursor}`));
    if (rows.length > 0) yield rows.map((row) => JSON.stringify(columns.map((_, i) => row[`c${i}`] ?? null)));
  } while (rows.length > 0);
  // Not in a finally: after a failed FETCH the transaction is aborted and CLOSE would hide the real error.
  await tx.execute(sql.raw(`CLOSE ${cursor}`));
}

/** A table's row count and SHA-256 over its serialized rows, each followed by a newline. */
export class TableDigest {
  rows = 0;
  private readonly hash = crypto.createHash('sha256');

  add(line: string): void {
    this.rows += 1;
    this.hash.update(line).update('\n');
  }

  result(): { rows: number; sha256: string } {
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }
}
