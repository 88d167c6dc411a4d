import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { embeddingVector, id, tsvector } from './columns.ts';
import { documents, documentVersions } from './documents.ts';

export const chunks = pgTable(
  'chunks',
  {
    id: id(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => documentVersions.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    /** Heading path, outermost first, e.g. ["Setup", "Pairing"]. */
    headingPath: jsonb('heading_path').$type<string[]>().notNull().default([]),
    heading: text('heading').notNull().default(''),
    text: text('text').notNull(),
    tokenCount: integer('token_count').notNull(),
    /** True for chunks of each document's current version; the search indexes cover only these. */
    isCurrent: boolean('is_current').notNull().default(false),
    tsv: tsvector('tsv').notNull(),
    embedding: embeddingVector('embedding').notNull(),
  },
  (t) => [
    index('chunks_version_idx').on(t.versionId, t.ordinal),
    index('chunks_document_idx').on(t.documentId),
    index('chunks_tsv_idx')
      .using('gin', t.tsv)
      .where(sql`${t.isCurrent}`),
  ],
).enableRLS();

export type Chunk = typeof chunks.$inferSelect;
