import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { conversations } from './conversations.ts';
import { messages } from './messages.ts';

export const feedback = pgTable(
  'feedback',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    /** +1 thumbs up, -1 thumbs down. */
    rating: integer('rating').notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('feedback_conversation_idx').on(t.conversationId)],
).enableRLS();

export type Feedback = typeof feedback.$inferSelect;
