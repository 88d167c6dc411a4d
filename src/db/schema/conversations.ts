import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { customers } from './customers.ts';

export const conversationStatuses = ['open', 'resolved', 'escalated'] as const;

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id'),
    channel: text('channel').notNull().default('api'),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    title: text('title'),
    summary: text('summary'),
    rating: integer('rating'),
    escalationReason: text('escalation_reason'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_customer_idx').on(t.customerId, t.createdAt),
    index('conversations_visitor_idx').on(t.visitorId),
    index('conversations_status_idx').on(t.status, t.createdAt),
  ],
).enableRLS();

export type Conversation = typeof conversations.$inferSelect;
