import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { customers } from './customers.ts';
import { staffTokens } from './staff-tokens.ts';

export const conversationStatuses = ['open', 'resolved', 'escalated'] as const;

/** What sent a conversation to a person: the inbox shows it beside the escalation reason. */
export const escalationSources = ['requested', 'rule', 'agent', 'abstained', 'thumbs_down', 'staff'] as const;
export type EscalationSource = (typeof escalationSources)[number];

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
    escalationSource: text('escalation_source', { enum: escalationSources }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** Since when the customer has been waiting for a person (null once staff replied or released it). */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    /** The person holding the conversation: while set, the bot does not answer. */
    assigneeName: text('assignee_name'),
    /** The assignee's staff token (null for the configured admin token). */
    assigneeTokenId: uuid('assignee_token_id').references(() => staffTokens.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    /** Refreshed while the customer has the conversation open live (any replica), for "has the customer left?". */
    customerSeenAt: timestamp('customer_seen_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_customer_idx').on(t.customerId, t.createdAt),
    index('conversations_visitor_idx').on(t.visitorId),
    index('conversations_status_idx').on(t.status, t.createdAt),
    index('conversations_waiting_idx').on(t.waitingSince),
    index('conversations_assignee_idx').on(t.assigneeTokenId),
  ],
).enableRLS();

export type Conversation = typeof conversations.$inferSelect;
