import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** A registered knowledge source (folder, URL or sitemap) that is re-synced on a schedule or on demand. */
export const sources = pgTable('sources', {
  id: id(),
  kind: text('kind', { enum: ['folder', 'url', 'sitemap'] }).notNull(),
  location: text('location').notNull().unique(),
  /** Minutes between scheduled syncs; null means on demand only. */
  intervalMinutes: integer('interval_minutes'),
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  lastSyncedAt: timestamp('last_synced_at', { withTimezone: true }),
  lastStatus: jsonb('last_status').$type<Record<string, unknown>>(),
}).enableRLS();

export type Source = typeof sources.$inferSelect;
