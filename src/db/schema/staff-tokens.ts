import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** Staff API tokens. Only a SHA-256 hash is stored; the token itself is shown once, when it is created. */
export const staffTokens = pgTable('staff_tokens', {
  id: id(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** The first characters of the token, so staff can tell tokens apart. */
  prefix: text('prefix').notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}).enableRLS();

export type StaffToken = typeof staffTokens.$inferSelect;
