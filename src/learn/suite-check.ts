import type { EvalExpect } from '../contracts/eval.ts';
import { isAbstention, scoreAnswer } from './answer-eval.ts';

/** What the agent did with one case, as the checks read it. */
export interface CaseAnswer {
  answer: string;
  citations: { source: string; title?: string | undefined }[];
  tools: string[];
  outcome: string;
  escalated: boolean;
}

export interface CaseVerdict {
  passed: boolean;
  /** Why the case failed, one line per unmet expectation; empty when it passed. */
  reasons: string[];
  /** Token F1 against `similar_to`, when the case has one. */
  tokenF1: number | null;
}

/** Threshold for `similar_to` when a case gives none. */
export const defaultMinF1 = 0.3;

const clip = (text: string, n = 80) => (text.length > n ? `${text.slice(0, n)}…` : text);

/** Whether a citation matches an expected `cites` entry: a case-insensitive substring of its source or title. */
export function citationMatches(citation: CaseAnswer['citations'][number], expected: string): boolean {
  const want = expected.toLowerCase();
  return citation.source.toLowerCase().includes(want) || (citation.title ?? '').toLowerCase().includes(want);
}

/**
 * Checks every expectation of a case against the agent's answer: text the answer must and must not contain
 * (case-insensitive), sources it must cite, abstention (the agent's outcome, or an uncited "the docs do not
 * cover this"), escalation, the tools it must call, and token F1 against a reference answer.
 * @example checkCase({ contains: ['30 days'] }, answer) // { passed: false, reasons: ['answer lacks "30 days"'], ... }
 */
export function checkCase(expect: EvalExpect, got: CaseAnswer): CaseVerdict {
  const reasons: string[] = [];
  const text = got.answer.toLowerCase();
  for (const s of expect.contains ?? [])
    if (!text.includes(s.toLowerCase())) reasons.push(`answer lacks "${s}"`);
  for (const s of expect.not_contains ?? [])
    if (text.includes(s.toLowerCase())) reasons.push(`answer contains "${s}"`);
  for (const s of expect.cites ?? []) {
    if (!got.citations.some((c) => citationMatches(c, s))) {
      const cited = [...new Set(got.citations.map((c) => c.source.split(/[\\/]/).pop()))];
      reasons.push(`does not cite "${s}" (cited: ${cited.length ? cited.join(', ') : 'nothing'})`);
    }
  }
  if (expect.abstains !== undefined) {
    const abstained = isAbstention({
      answer: got.answer,
      citedFiles: got.citations.map((c) => c.source),
      outcome: got.outcome,
    });
    if (abstained !== expect.abstains)
      reasons.push(
        expect.abstains
          ? `answered instead of abstaining: "${clip(got.answer)}"`
          : `abstained: "${clip(got.answer)}"`,
      );
  }
  if (expect.escalates !== undefined && got.escalated !== expect.escalates)
    reasons.push(expect.escalates ? 'did not escalate' : 'escalated');
  for (const tool of expect.tools ?? [])
    if (!got.tools.includes(tool))
      reasons.push(`did not call ${tool} (called: ${got.tools.length ? got.tools.join(', ') : 'none'})`);
  let tokenF1: number | null = null;
  if (expect.similar_to !== undefined) {
    tokenF1 = Math.round(scoreAnswer(got.answer, expect.similar_to).f1 * 1000) / 1000;
    const min = expect.min_f1 ?? defaultMinF1;
    if (tokenF1 < min) reasons.push(`token F1 ${tokenF1.toFixed(3)} < ${min}`);
  }
  return { passed: reasons.length === 0, reasons, tokenF1 };
}
