import crypto from 'node:crypto';
import type { QaPair } from '../db/schema/index.ts';
import { normalizeQuestion } from './qa-dedupe.ts';

export type QaSplit = NonNullable<QaPair['split']>;

/** Percentages of approved pairs that go to training and validation; the rest is the held-out test split. */
export const splitShares = { train: 80, validation: 10 } as const;

/**
 * The split of a pair, from a hash of its normalised question: stable across runs and machines, and two pairs
 * asking the same thing land in the same split, so a test question never has a twin in training. The split is
 * stored when a pair is first approved and kept through later edits.
 * @example splitFor('How do I reset the hub?') // 'train' (always the same for this question)
 */
export function splitFor(question: string): QaSplit {
  const digest = crypto.createHash('sha256').update(normalizeQuestion(question)).digest();
  const bucket = digest.readUInt32BE(0) % 100;
  if (bucket < splitShares.train) return 'train';
  if (bucket < splitShares.train + splitShares.validation) return 'validation';
  return 'test';
}
