import type { EvalCaseChange, EvalRunDiff } from '../contracts/eval.ts';
import type { EvalCaseResult } from '../db/schema/index.ts';
import { caseResultView, runSummary, type StoredRun } from './suite-store.ts';

/** Cases that passed in the baseline run and fail in the current one, by id. */
export function regressions(baseline: StoredRun, current: StoredRun): EvalCaseResult[] {
  const passedBefore = new Set(baseline.cases.filter((c) => c.passed).map((c) => c.caseId));
  return current.cases.filter((c) => !c.passed && passedBefore.has(c.caseId));
}

/**
 * What changed between two runs: the documents whose current version differs, and every case that flipped
 * (`fixed`, `broke`), kept its verdict with a different answer (`answer-changed`), or is in one run only.
 */
export function diffRuns(before: StoredRun, after: StoredRun): EvalRunDiff {
  const old = new Map(before.cases.map((c) => [c.caseId, c]));
  const cases: EvalCaseChange[] = [];
  let unchanged = 0;
  for (const now of after.cases) {
    const was = old.get(now.caseId);
    old.delete(now.caseId);
    const change: EvalCaseChange['change'] | undefined = !was
      ? 'added'
      : was.passed && !now.passed
        ? 'broke'
        : !was.passed && now.passed
          ? 'fixed'
          : was.answer !== now.answer
            ? 'answer-changed'
            : undefined;
    if (!change) {
      unchanged++;
      continue;
    }
    cases.push({
      caseId: now.caseId,
      question: now.question,
      change,
      before: was ? caseResultView(was) : null,
      after: caseResultView(now),
    });
  }
  for (const was of old.values())
    cases.push({
      caseId: was.caseId,
      question: was.question,
      change: 'removed',
      before: caseResultView(was),
      after: null,
    });
  // Regressions first: they are what a reader of the diff is looking for.
  const order = { broke: 0, fixed: 1, 'answer-changed': 2, added: 3, removed: 4 };
  cases.sort((a, b) => order[a.change] - order[b.change]);
  return {
    before: runSummary(before.run),
    after: runSummary(after.run),
    changedDocuments: changedDocuments(before, after),
    cases,
    unchanged,
  };
}

function changedDocuments(before: StoredRun, after: StoredRun): EvalRunDiff['changedDocuments'] {
  const a = before.run.knowledgeVersions;
  const b = after.run.knowledgeVersions;
  const ids = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return ids
    .filter((id) => a[id]?.versionId !== b[id]?.versionId)
    .map((id) => ({ documentId: id, before: a[id]?.version ?? null, after: b[id]?.version ?? null }));
}
