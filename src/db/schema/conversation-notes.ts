import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { conversations } from './conversations.ts';
import { staffTokens } from './staff-tokens.ts';

/** Internal notes staff leave on a conversation: never part of the customer's transcript or the model's history. */
export const conversationNotes = pgTable(
  'conversation_notes',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    authorName: text('author_name').notNull(),
    authorTokenId: uuid('author_token_id').references(() => staffTokens.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_notes_conversation_idx').on(t.conversationId, t.createdAt)],
).enableRLS();

export type ConversationNote = typeof conversationNotes.$inferSelect;
