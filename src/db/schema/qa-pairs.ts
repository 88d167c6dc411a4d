import { index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { qaPairStatuses, qaSourceTypes, qaSplits } from '../../contracts/qa.ts';
import type { Citation } from './messages.ts';

export { qaPairStatuses, qaSourceTypes, qaSplits };

/**
 * One turn of the conversation a pair came from, PII already replaced by placeholders: kept so fine-tuning can
 * export the real exchange (earlier turns, tool calls and their results) and not only the question and answer.
 */
export type QaTranscriptTurn =
  | { role: 'user' | 'assistant'; content: string }
  | {
      role: 'tool_call';
      /** Calls made together in one step, with their results. */
      calls: { name: string; input: unknown; output: unknown }[];
    };

export const qaPairs = pgTable(
  'qa_pairs',
  {
    id: id(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    /** Where the pair came from: conversation, solution or document. */
    sourceType: text('source_type', { enum: qaSourceTypes }).notNull(),
    sourceId: uuid('source_id'),
    /**
     * Identifies what was turned into this pair (a message, a solution, a document section); generation skips a
     * key it has seen, so running it again proposes only what is new.
     */
    sourceKey: text('source_key'),
    /** A human-readable pointer: the document and heading, the conversation, the solution's problem. */
    sourceLabel: text('source_label'),
    status: text('status', { enum: qaPairStatuses }).notNull().default('draft'),
    split: text('split', { enum: qaSplits }),
    /** The passages the source answer cited (conversations) or the section it was drawn from (documents). */
    citations: jsonb('citations').$type<Citation[]>().notNull().default([]),
    /** The source conversation up to the answer, PII replaced; empty for other sources. */
    transcript: jsonb('transcript').$type<QaTranscriptTurn[]>().notNull().default([]),
    /** How the pair was made: `llm` or `rules` (questions from headings), and the model when one was used. */
    generator: text('generator'),
    /** The generator's confidence in the pair, 0-1; near-duplicates keep the better-sourced one. */
    quality: real('quality'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('qa_pairs_status_idx').on(t.status, t.split),
    uniqueIndex('qa_pairs_source_key_idx').on(t.sourceKey),
  ],
).enableRLS();

export type QaPair = typeof qaPairs.$inferSelect;
export type NewQaPair = typeof qaPairs.$inferInsert;
