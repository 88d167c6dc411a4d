import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { conversations } from './conversations.ts';

/** A cited passage: which chunk of which document version an answer relied on. */
export interface Citation {
  source: string;
  documentId: string;
  versionId: string;
  chunkId: string;
  heading: string;
  /** The document's title (absent on citations stored before it was recorded). */
  title?: string;
}

export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['user', 'assistant', 'system', 'tool'] }).notNull(),
    content: text('content').notNull(),
    parts: jsonb('parts').$type<unknown[]>().notNull().default([]),
    citations: jsonb('citations').$type<Citation[]>().notNull().default([]),
    model: text('model'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    latencyMs: integer('latency_ms'),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt)],
).enableRLS();

export type Message = typeof messages.$inferSelect;
