import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { conversations } from './conversations.ts';
import { staffTokens } from './staff-tokens.ts';

/**
 * Who wrote a message: the customer (`user`), the agent (`assistant`), a person on the support team (`staff`,
 * with an author), or Parley itself (`system`: hand-off notices such as "Alex joined"). `tool` is unused today.
 */
export const messageRoles = ['user', 'assistant', 'staff', 'system', 'tool'] as const;
export type MessageRole = (typeof messageRoles)[number];

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
    role: text('role', { enum: messageRoles }).notNull(),
    content: text('content').notNull(),
    parts: jsonb('parts').$type<unknown[]>().notNull().default([]),
    citations: jsonb('citations').$type<Citation[]>().notNull().default([]),
    model: text('model'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    latencyMs: integer('latency_ms'),
    /** The staff member's display name, for `staff` messages and hand-off notices. */
    authorName: text('author_name'),
    authorTokenId: uuid('author_token_id').references(() => staffTokens.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt)],
).enableRLS();

export type Message = typeof messages.$inferSelect;
