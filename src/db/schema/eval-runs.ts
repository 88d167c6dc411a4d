import { boolean, index, integer, jsonb, pgTable, real, text, uuid } from 'drizzle-orm/pg-core';
import { evalTriggers, type EvalCase, type KnowledgeVersions } from '../../contracts/eval.ts';
import { createdAt, id, updatedAt } from './columns.ts';

/** A suite registered for re-runs: its cases are kept so a document change can run them again. */
export const evalSuites = pgTable('eval_suites', {
  id: id(),
  name: text('name').notNull().unique(),
  /** sha256 of the cases as registered; a run records the hash of the cases it asked. */
  hash: text('hash').notNull(),
  cases: jsonb('cases').$type<EvalCase[]>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}).enableRLS();

export type EvalSuite = typeof evalSuites.$inferSelect;

/** One run of a suite: who ran it against which model and knowledge, and how it went. */
export const evalRuns = pgTable(
  'eval_runs',
  {
    id: id(),
    suiteName: text('suite_name').notNull(),
    suiteHash: text('suite_hash').notNull(),
    /** Set when the run is of a registered suite. */
    suiteId: uuid('suite_id').references(() => evalSuites.id, { onDelete: 'set null' }),
    model: text('model').notNull(),
    trigger: text('trigger', { enum: evalTriggers }).notNull(),
    /** Documents whose new version started a `document-change` run. */
    changedDocuments: jsonb('changed_documents').$type<string[]>().notNull().default([]),
    /** Every active document's current version when the run started. */
    knowledgeVersions: jsonb('knowledge_versions').$type<KnowledgeVersions>().notNull().default({}),
    n: integer('n').notNull(),
    passed: integer('passed').notNull(),
    passRate: real('pass_rate').notNull(),
    changedAnswers: integer('changed_answers').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('eval_runs_suite_idx').on(t.suiteName, t.createdAt)],
).enableRLS();

export type EvalRun = typeof evalRuns.$inferSelect;

/** The citation of an answer as a run keeps it: enough to trace it back to a document version. */
export interface EvalResultCitation {
  source: string;
  documentId: string;
  versionId: string;
  title?: string;
  heading: string;
}

/** How one case went in one run. */
export const evalCaseResults = pgTable(
  'eval_case_results',
  {
    id: id(),
    runId: uuid('run_id')
      .notNull()
      .references(() => evalRuns.id, { onDelete: 'cascade' }),
    /** Position in the suite, so a run reads back in the suite's order. */
    ordinal: integer('ordinal').notNull(),
    caseId: text('case_id').notNull(),
    question: text('question').notNull(),
    passed: boolean('passed').notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    answer: text('answer').notNull(),
    citations: jsonb('citations').$type<EvalResultCitation[]>().notNull().default([]),
    tools: jsonb('tools').$type<string[]>().notNull().default([]),
    outcome: text('outcome').notNull(),
    escalated: boolean('escalated').notNull().default(false),
    /** The answer differs from the one the suite's previous run stored for this case. */
    answerChanged: boolean('answer_changed').notNull().default(false),
    tokenF1: real('token_f1'),
    createdAt: createdAt(),
  },
  (t) => [index('eval_case_results_run_idx').on(t.runId, t.ordinal)],
).enableRLS();

export type EvalCaseResult = typeof evalCaseResults.$inferSelect;
export type NewEvalCaseResult = typeof evalCaseResults.$inferInsert;
