import type { Citation, QaPair, QaTranscriptTurn } from '../db/schema/index.ts';

export type QaSourceType = QaPair['sourceType'];

/** A proposed pair before it is stored: PII already replaced. */
export interface QaCandidate {
  question: string;
  answer: string;
  sourceType: QaSourceType;
  sourceId: string | null;
  /** What the pair was made from; generation skips keys it has stored before. */
  sourceKey: string;
  sourceLabel: string;
  citations: Citation[];
  transcript: QaTranscriptTurn[];
  /** `rules`, or `llm:<model>`. */
  generator: string;
  /** 0-1: how much the source is worth trusting; near-duplicates keep the higher. */
  quality: number;
}

/** Orders candidates for merging near-duplicates: the better-sourced one first. */
export function compareCandidates(a: QaCandidate, b: QaCandidate): number {
  return a.quality - b.quality || b.answer.length - a.answer.length;
}
