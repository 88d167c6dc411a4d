import { z } from '@hono/zod-openapi';
import { type ToolName, toolNames } from './limits.ts';

// Answer test suites: cases asked of the agent as new conversations, with expectations checked on each answer;
// their runs are stored with the knowledge base's versions so a change in either can be traced.

const allToolNames = Object.values(toolNames) as [ToolName, ...ToolName[]];

const nonEmptyList = z.array(z.string().trim().min(1)).min(1);

/** What a case expects of the answer. Unknown keys are refused, so a misspelt expectation cannot pass silently. */
export const EvalExpect = z
  .strictObject({
    /** Each entry must match (case-insensitive substring) a cited passage's source or title. */
    cites: nonEmptyList.optional(),
    /** Each entry must appear in the answer (case-insensitive). */
    contains: nonEmptyList.optional(),
    /** No entry may appear in the answer (case-insensitive). */
    not_contains: nonEmptyList.optional(),
    /** Whether the agent declines (the docs do not cover the question). */
    abstains: z.boolean().optional(),
    /** Whether the conversation is handed over to a person. */
    escalates: z.boolean().optional(),
    /** Tools the agent must call. */
    tools: z.array(z.enum(allToolNames)).min(1).optional(),
    /** A reference answer: the answer's token F1 against it must reach `min_f1`. */
    similar_to: z.string().trim().min(1).optional(),
    min_f1: z.number().min(0).max(1).optional(),
  })
  .refine((e) => e.min_f1 === undefined || e.similar_to !== undefined, {
    message: 'min_f1 needs similar_to (the reference answer)',
    path: ['min_f1'],
  })
  .refine((e) => Object.keys(e).length > 0, { message: 'expect names nothing to check' });
export type EvalExpect = z.infer<typeof EvalExpect>;

export const EvalHistoryTurn = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.string().trim().min(1),
});
export type EvalHistoryTurn = z.infer<typeof EvalHistoryTurn>;

/** One case of a suite: a question, who asks it, earlier turns of the conversation, and what to expect. */
export const EvalCase = z
  .strictObject({
    id: z.string().trim().min(1).max(200),
    question: z.string().trim().min(1),
    /** A customer id or email, as `parley ask --customer` takes; absent: an anonymous visitor. */
    customer: z.string().trim().min(1).optional(),
    history: z.array(EvalHistoryTurn).optional(),
    expect: EvalExpect,
  })
  .openapi('EvalCase');
export type EvalCase = z.infer<typeof EvalCase>;

export const evalTriggers = ['cli', 'manual', 'document-change'] as const;
export const EvalTrigger = z.enum(evalTriggers);
export type EvalTrigger = z.infer<typeof EvalTrigger>;

/** Which version of each document was current when a run started: document id → version. */
export const KnowledgeVersions = z.record(
  z.string(),
  z.object({ versionId: z.string(), version: z.number() }),
);
export type KnowledgeVersions = z.infer<typeof KnowledgeVersions>;

export const EvalCitation = z.object({
  source: z.string(),
  documentId: z.string(),
  versionId: z.string(),
  title: z.string().optional(),
  heading: z.string(),
});
export type EvalCitation = z.infer<typeof EvalCitation>;

/** A run's figures, without its cases. */
export const EvalRunSummary = z
  .object({
    id: z.string(),
    suiteName: z.string(),
    suiteHash: z.string(),
    model: z.string(),
    trigger: EvalTrigger,
    /** Documents whose new version started this run (`document-change` runs). */
    changedDocuments: z.array(z.string()),
    n: z.number(),
    passed: z.number(),
    passRate: z.number(),
    /** Cases whose answer differs from the suite's previous run. */
    changedAnswers: z.number(),
    createdAt: z.string(),
  })
  .openapi('EvalRunSummary');
export type EvalRunSummary = z.infer<typeof EvalRunSummary>;

export const EvalCaseResultView = z
  .object({
    caseId: z.string(),
    question: z.string(),
    passed: z.boolean(),
    reasons: z.array(z.string()),
    answer: z.string(),
    citations: z.array(EvalCitation),
    tools: z.array(z.string()),
    outcome: z.string(),
    escalated: z.boolean(),
    /** The answer differs from the one in the suite's previous run. */
    answerChanged: z.boolean(),
    tokenF1: z.number().nullable(),
  })
  .openapi('EvalCaseResult');
export type EvalCaseResultView = z.infer<typeof EvalCaseResultView>;

export const EvalRunView = EvalRunSummary.extend({
  knowledgeVersions: KnowledgeVersions,
  cases: z.array(EvalCaseResultView),
}).openapi('EvalRun');
export type EvalRunView = z.infer<typeof EvalRunView>;

export const EvalRunQuery = z.object({
  suite: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EvalRunQuery = z.infer<typeof EvalRunQuery>;

export const EvalRunList = z
  .object({ runs: z.array(EvalRunSummary), suites: z.array(z.string()) })
  .openapi('EvalRunList');
export type EvalRunList = z.infer<typeof EvalRunList>;

/** One case as it was in two runs. */
export const EvalCaseChange = z.object({
  caseId: z.string(),
  question: z.string(),
  /** `fixed`: failed in the first run and passes in the second; `broke`: the reverse. */
  change: z.enum(['fixed', 'broke', 'answer-changed', 'added', 'removed']),
  before: EvalCaseResultView.nullable(),
  after: EvalCaseResultView.nullable(),
});
export type EvalCaseChange = z.infer<typeof EvalCaseChange>;

export const EvalRunDiff = z
  .object({
    before: EvalRunSummary,
    after: EvalRunSummary,
    /** Documents whose current version differs between the runs. */
    changedDocuments: z.array(
      z.object({
        documentId: z.string(),
        before: z.number().nullable(),
        after: z.number().nullable(),
      }),
    ),
    cases: z.array(EvalCaseChange),
    unchanged: z.number(),
  })
  .openapi('EvalRunDiff');
export type EvalRunDiff = z.infer<typeof EvalRunDiff>;

export const EvalDiffParams = z.object({ a: z.string().uuid(), b: z.string().uuid() });

/** Registers a suite for re-runs when the documents it relies on change. */
export const EvalSuiteRegistration = z
  .object({
    name: z.string().trim().min(1).max(200),
    cases: z.array(EvalCase).min(1).max(5000),
  })
  .openapi('EvalSuiteRegistration');
export type EvalSuiteRegistration = z.infer<typeof EvalSuiteRegistration>;

export const EvalSuiteView = z
  .object({
    id: z.string(),
    name: z.string(),
    hash: z.string(),
    cases: z.number(),
    /** The job running it now, when the server has a queue. */
    jobId: z.string().nullable(),
  })
  .openapi('EvalSuite');
export type EvalSuiteView = z.infer<typeof EvalSuiteView>;
