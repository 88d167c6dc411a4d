import {
  type AnyPgColumn,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';

export const documents = pgTable(
  'documents',
  {
    id: id(),
    /** The path or URL the document was ingested from; its identity across versions. */
    source: text('source').notNull().unique(),
    title: text('title').notNull(),
    /** File format: markdown, text, html, pdf, docx. */
    format: text('format').notNull(),
    /** Document type for filtering: guide, troubleshooting, policy, faq, ... */
    kind: text('kind'),
    /** Product SKU the document is about, when known. */
    product: text('product'),
    status: text('status', { enum: ['active', 'retired'] })
      .notNull()
      .default('active'),
    currentVersionId: uuid('current_version_id').references((): AnyPgColumn => documentVersions.id, {
      onDelete: 'set null',
    }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('documents_kind_idx').on(t.kind), index('documents_product_idx').on(t.product)],
).enableRLS();

export const documentVersions = pgTable(
  'document_versions',
  {
    id: id(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    title: text('title').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    chunkCount: integer('chunk_count').notNull().default(0),
    embeddingModel: text('embedding_model').notNull(),
    createdAt: createdAt(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }),
  },
  (t) => [unique('document_versions_document_version_key').on(t.documentId, t.version)],
).enableRLS();

/**
 * A version's extracted text, with its structure (headings, lists, tables) as Markdown, in parts of about 64 KB
 * in order: read it whole with `versionText` (src/knowledge/version-text.ts). An embedded database compresses
 * and writes a value on the server's own thread, so a 12 MB text stored as one value stopped it for seconds;
 * parts are written one statement each, with the event loop running between them.
 */
export const documentVersionTexts = pgTable(
  'document_version_texts',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => documentVersions.id, { onDelete: 'cascade' }),
    part: integer('part').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.part] })],
).enableRLS();

export type Document = typeof documents.$inferSelect;
export type DocumentVersion = typeof documentVersions.$inferSelect;
