import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, embeddingVector, id, updatedAt } from './columns.ts';
import { conversations } from './conversations.ts';

export const solutionStatuses = ['suggested', 'approved', 'rejected'] as const;

export const solutions = pgTable(
  'solutions',
  {
    id: id(),
    problem: text('problem').notNull(),
    resolution: text('resolution').notNull(),
    product: text('product'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    status: text('status', { enum: solutionStatuses }).notNull().default('suggested'),
    embedding: embeddingVector('embedding'),
    timesUsed: integer('times_used').notNull().default(0),
    timesResolved: integer('times_resolved').notNull().default(0),
    reviewedBy: text('reviewed_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('solutions_status_idx').on(t.status)],
).enableRLS();

export type Solution = typeof solutions.$inferSelect;
