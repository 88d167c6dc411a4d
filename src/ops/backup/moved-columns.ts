import { sql } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';
import type { Manifest } from './archive.ts';
import { quoteIdent } from './tables.ts';

/** A column a migration moved elsewhere: archives made before that migration still hold it. */
interface MovedColumn {
  table: string;
  column: string;
  type: string;
  /** The migration that moved it; archives that list it do not have the column. */
  migration: string;
  /** Moves the column's values to where they live now, as the migration did. */
  move: string;
}

const movedColumns: MovedColumn[] = [
  {
    table: 'document_versions',
    column: 'text',
    type: 'text',
    migration: '0006_version_texts',
    // The same split as migrations/0006_version_texts.sql.
    move: `INSERT INTO document_version_texts (version_id, part, text)
      SELECT v.id, p.n, substr(v.text, p.n * 65536 + 1, 65536)
      FROM document_versions v, generate_series(0, ceil(length(v.text) / 65536.0)::int - 1) AS p(n)`,
  },
];

/**
 * Puts back, for the length of the restore's transaction, the columns an older archive holds that a migration
 * has since moved, so its rows load and verify as archived. Returns them for `finishMovedColumns`.
 */
export async function reinstateMovedColumns(tx: Db, manifest: Manifest): Promise<MovedColumn[]> {
  const reinstated = movedColumns.filter(
    (moved) =>
      !manifest.migrations.includes(moved.migration) &&
      manifest.tables.some((t) => t.name === moved.table && t.columns.some((c) => c.name === moved.column)),
  );
  for (const moved of reinstated) {
    await tx.execute(
      sql.raw(`ALTER TABLE ${quoteIdent(moved.table)} ADD COLUMN ${quoteIdent(moved.column)} ${moved.type}`),
    );
  }
  return reinstated;
}

/** Moves the restored values of reinstated columns to where the schema keeps them now, and drops the columns. */
export async function finishMovedColumns(tx: Db, reinstated: MovedColumn[]): Promise<void> {
  for (const moved of reinstated) {
    await tx.execute(sql.raw(moved.move));
    await tx.execute(
      sql.raw(`ALTER TABLE ${quoteIdent(moved.table)} DROP COLUMN ${quoteIdent(moved.column)}`),
    );
  }
}
