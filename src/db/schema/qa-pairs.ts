import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';

export const qaPairs = pgTable(
  'qa_pairs',
  {
    id: id(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    /** Where the pair came from: conversation, solution or document. */
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id'),
    status: text('status', { enum: ['draft', 'approved', 'rejected'] })
      .notNull()
      .default('draft'),
    split: text('split', { enum: ['train', 'validation', 'test'] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('qa_pairs_status_idx').on(t.status, t.split)],
).enableRLS();

export type QaPair = typeof qaPairs.$inferSelect;
