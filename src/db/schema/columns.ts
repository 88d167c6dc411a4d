import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A pgvector column without fixed dimensions. The embedding space (model and dimensions) is recorded in
 * `settings`; the HNSW index is an expression index cast to that dimension, rebuilt by `parley reindex`.
 */
export const embeddingVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => JSON.parse(value) as number[],
});

/** Postgres full-text vector; written explicitly on insert so headings can be weighted. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const id = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
