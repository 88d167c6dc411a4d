import { index, integer, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { conversations } from './conversations.ts';
import { messages } from './messages.ts';

/** The figures of one agent turn. */
export const agentRuns = pgTable(
  'agent_runs',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    model: text('model').notNull(),
    latencyMs: integer('latency_ms'),
    timeToFirstTokenMs: integer('time_to_first_token_ms'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }),
    tools: jsonb('tools').$type<unknown[]>().notNull().default([]),
    retrieval: jsonb('retrieval').$type<Record<string, unknown>>().notNull().default({}),
    outcome: text('outcome').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('agent_runs_created_idx').on(t.createdAt)],
).enableRLS();

export type AgentRun = typeof agentRuns.$inferSelect;
