import { type Embedder } from './embedder.ts';

const stopwords = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my ' +
    'no not of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who why will with would you your yours about also any been being just more most only other over ' +
    'same some such too very s t don should now up out off again further once here all both each few own'
  ).split(' '),
);

/**
 * A deterministic embedder with no model weights: hashed features (words with a light stem, adjacent word
 * pairs, character trigrams) with sub-linear term weights, projected into a fixed number of signed buckets and
 * L2-normalised. Cosine similarity then behaves like a fuzzy TF overlap, robust to inflections and typos, and
 * complements the full-text ranking in hybrid search.
 */
export class LocalEmbedder implements Embedder {
  readonly model = 'local:hash-v1';
  constructor(readonly dimensions = 512) {}

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): number[] {
    const v = new Float32Array(this.dimensions);
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    const words = tokenize(text);
    let prev: string | undefined;
    for (const word of words) {
      if (stopwords.has(word)) {
        prev = undefined;
        continue;
      }
      const stem = lightStem(word);
      add(`w:${stem}`, 1);
      if (prev) add(`b:${prev} ${stem}`, 0.5);
      prev = stem;
      const padded = `<${stem}>`;
      if (padded.length > 4)
        for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.25);
    }
    for (const [feature, weight] of counts) {
      const h = fnv1a(feature);
      const sign = h & 1 ? 1 : -1;
      const tf = weight <= 1 ? weight : 1 + Math.log(weight);
      v[(h >>> 1) % this.dimensions]! += sign * tf;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => Math.round((x / norm) * 1e6) / 1e6);
  }
}

export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Strips common English inflections so "rotating", "rotates" and "rotated" meet. */
export function lightStem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  for (const [suffix, keep] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['ies', 'y'],
    ['ing', ''],
    ['edly', ''],
    ['ed', ''],
    ['es', ''],
    ['ly', ''],
    ['s', ''],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length) + keep;
      if (suffix === 's' && /(ss|us|is)$/.test(word)) return word;
      return base;
    }
  }
  return word;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
