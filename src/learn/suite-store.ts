import { and, asc, desc, eq, isNotNull, lt } from 'drizzle-orm';
import type {
  EvalCaseResultView,
  EvalRunQuery,
  EvalRunSummary,
  EvalRunView,
  EvalTrigger,
  KnowledgeVersions,
} from '../contracts/eval.ts';
import { type Db } from '../db/client.ts';
import {
  documents,
  documentVersions,
  type EvalCaseResult,
  evalCaseResults,
  type EvalRun,
  evalRuns,
  type NewEvalCaseResult,
} from '../db/schema/index.ts';
import type { Suite } from './suite-file.ts';
import type { CaseRun } from './suite-run.ts';

/** Which version of every active document is current now: document id → version id and number. */
export async function knowledgeVersions(db: Db): Promise<KnowledgeVersions> {
  const rows = await db
    .select({ documentId: documents.id, versionId: documentVersions.id, version: documentVersions.version })
    .from(documents)
    .innerJoin(documentVersions, eq(documentVersions.id, documents.currentVersionId))
    .where(and(eq(documents.status, 'active'), isNotNull(documents.currentVersionId)));
  return Object.fromEntries(rows.map((r) => [r.documentId, { versionId: r.versionId, version: r.version }]));
}

export interface NewRun {
  suite: Suite;
  suiteId?: string | undefined;
  model: string;
  trigger: EvalTrigger;
  changedDocuments: string[];
  knowledgeVersions: KnowledgeVersions;
  runs: CaseRun[];
}

/** A stored run with its case results, in the suite's order. */
export interface StoredRun {
  run: EvalRun;
  cases: EvalCaseResult[];
}

/**
 * Stores a run and its case results in one transaction. Each answer is compared with the one the suite's
 * previous run stored for the same case, and marked when it changed.
 */
export async function storeRun(db: Db, input: NewRun): Promise<StoredRun> {
  const previous = await latestRun(db, input.suite.name);
  const before = new Map((previous?.cases ?? []).map((c) => [c.caseId, c.answer]));
  const changed = (r: CaseRun) => before.has(r.case.id) && before.get(r.case.id) !== r.answer.answer;
  const n = input.runs.length;
  const passed = input.runs.filter((r) => r.verdict.passed).length;
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(evalRuns)
      .values({
        suiteName: input.suite.name,
        suiteHash: input.suite.hash,
        suiteId: input.suiteId ?? null,
        model: input.model,
        trigger: input.trigger,
        changedDocuments: input.changedDocuments,
        knowledgeVersions: input.knowledgeVersions,
        n,
        passed,
        passRate: n ? passed / n : 0,
        changedAnswers: input.runs.filter(changed).length,
      })
      .returning();
    const rows: NewEvalCaseResult[] = input.runs.map((r, i) => ({
      runId: run!.id,
      ordinal: i,
      caseId: r.case.id,
      question: r.case.question,
      passed: r.verdict.passed,
      reasons: r.verdict.reasons,
      answer: r.answer.answer,
      citations: r.answer.citations,
      tools: r.answer.tools,
      outcome: r.answer.outcome,
      escalated: r.answer.escalated,
      answerChanged: changed(r),
      tokenF1: r.verdict.tokenF1,
    }));
    const cases: EvalCaseResult[] = [];
    for (let i = 0; i < rows.length; i += 500)
      cases.push(
        ...(await tx
          .insert(evalCaseResults)
          .values(rows.slice(i, i + 500))
          .returning()),
      );
    return { run: run!, cases: cases.sort((a, b) => a.ordinal - b.ordinal) };
  });
}

/** A stored run by id, with its cases. */
export async function findRun(db: Db, id: string): Promise<StoredRun | undefined> {
  const [run] = await db.select().from(evalRuns).where(eq(evalRuns.id, id));
  if (!run) return undefined;
  const cases = await db
    .select()
    .from(evalCaseResults)
    .where(eq(evalCaseResults.runId, id))
    .orderBy(asc(evalCaseResults.ordinal));
  return { run, cases };
}

/** The newest run of a suite (optionally the newest before another run), with its cases. */
export async function latestRun(
  db: Db,
  suiteName: string,
  options: { before?: EvalRun } = {},
): Promise<StoredRun | undefined> {
  const [row] = await db
    .select({ id: evalRuns.id })
    .from(evalRuns)
    .where(
      and(
        eq(evalRuns.suiteName, suiteName),
        options.before ? lt(evalRuns.createdAt, options.before.createdAt) : undefined,
      ),
    )
    .orderBy(desc(evalRuns.createdAt), desc(evalRuns.id))
    .limit(1);
  return row ? findRun(db, row.id) : undefined;
}

/** Runs, newest first, optionally of one suite; and the names of every suite that has runs. */
export async function listRuns(
  db: Db,
  query: Partial<EvalRunQuery> = {},
): Promise<{ runs: EvalRunSummary[]; suites: string[] }> {
  const runs = await db
    .select()
    .from(evalRuns)
    .where(query.suite ? eq(evalRuns.suiteName, query.suite) : undefined)
    .orderBy(desc(evalRuns.createdAt), desc(evalRuns.id))
    .limit(query.limit ?? 100);
  const suites = await db
    .selectDistinct({ name: evalRuns.suiteName })
    .from(evalRuns)
    .orderBy(asc(evalRuns.suiteName));
  return { runs: runs.map(runSummary), suites: suites.map((s) => s.name) };
}

/** A run's figures as the API returns them. */
export function runSummary(run: EvalRun): EvalRunSummary {
  return {
    id: run.id,
    suiteName: run.suiteName,
    suiteHash: run.suiteHash,
    model: run.model,
    trigger: run.trigger,
    changedDocuments: run.changedDocuments,
    n: run.n,
    passed: run.passed,
    passRate: Math.round(run.passRate * 1000) / 1000,
    changedAnswers: run.changedAnswers,
    createdAt: run.createdAt.toISOString(),
  };
}

/** One case result as the API returns it. */
export function caseResultView(c: EvalCaseResult): EvalCaseResultView {
  return {
    caseId: c.caseId,
    question: c.question,
    passed: c.passed,
    reasons: c.reasons,
    answer: c.answer,
    citations: c.citations,
    tools: c.tools,
    outcome: c.outcome,
    escalated: c.escalated,
    answerChanged: c.answerChanged,
    tokenF1: c.tokenF1,
  };
}

/** A whole run as the API returns it. */
export function runView(stored: StoredRun): EvalRunView {
  return {
    ...runSummary(stored.run),
    knowledgeVersions: stored.run.knowledgeVersions,
    cases: stored.cases.map(caseResultView),
  };
}
