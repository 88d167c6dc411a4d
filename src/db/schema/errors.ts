import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from './columns.ts';

export const errors = pgTable('errors', {
  id: id(),
  fingerprint: text('fingerprint').notNull().unique(),
  message: text('message').notNull(),
  stack: text('stack'),
  count: integer('count').notNull().default(1),
  status: text('status', { enum: ['open', 'resolved'] })
    .notNull()
    .default('open'),
  sampleRequestId: text('sample_request_id'),
  context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
  firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
  lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
}).enableRLS();

export type TrackedError = typeof errors.$inferSelect;
