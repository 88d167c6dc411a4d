import { answerTerms } from './answer-eval.ts';

/** A question reduced to what decides whether two questions ask the same: lowercase words, no punctuation. */
export function normalizeQuestion(question: string): string {
  return question
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}[\]_]+/gu, ' ')
    .trim();
}

/** Jaccard similarity of two questions' content words (stopwords dropped, lightly stemmed). */
export function questionSimilarity(a: string, b: string): number {
  const x = new Set(answerTerms(a));
  const y = new Set(answerTerms(b));
  if (x.size === 0 || y.size === 0) return normalizeQuestion(a) === normalizeQuestion(b) ? 1 : 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * Questions at or above this similarity are near-duplicates. 0.75 merges rewordings ("How do I reset the hub?",
 * "How can I reset my hub?") but keeps apart questions about different products or steps.
 */
export const duplicateThreshold = 0.75;

/**
 * Drops near-duplicates, keeping the best of each group (`better(a, b) > 0` when `a` should be kept over `b`).
 * Candidates are compared with each other and with `existing` questions; a candidate that duplicates an existing
 * one is returned in `duplicates` with the existing item it matched.
 */
export function mergeNearDuplicates<T extends { question: string }, E extends { question: string }>(
  candidates: T[],
  existing: E[],
  better: (a: T, b: T) => number,
  threshold = duplicateThreshold,
): { kept: T[]; duplicates: { candidate: T; of: T | E }[] } {
  const kept: T[] = [];
  const duplicates: { candidate: T; of: T | E }[] = [];
  // Best first, so the first of a group to arrive is the one kept.
  for (const candidate of [...candidates].sort((a, b) => better(b, a))) {
    const match =
      existing.find((e) => questionSimilarity(e.question, candidate.question) >= threshold) ??
      kept.find((k) => questionSimilarity(k.question, candidate.question) >= threshold);
    if (match) duplicates.push({ candidate, of: match });
    else kept.push(candidate);
  }
  return { kept, duplicates };
}
