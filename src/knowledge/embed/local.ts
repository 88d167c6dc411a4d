import { embedderStopwords, lightStem, tokenize } from '../text.ts';
import { type Embedder } from './embedder.ts';

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
    return Array.from(this.unitVector(text), roundComponent);
  }

  /**
   * Writes the embeddings of `texts` one after another into a single `Float32Array` (`texts.length` ×
   * `dimensions`), to hand a whole document's vectors between threads as one transferable buffer.
   * `unpackVector` gives back exactly what `embedOne` returns.
   */
  embedPacked(texts: string[]): Float32Array {
    const out = new Float32Array(texts.length * this.dimensions);
    texts.forEach((text, i) => {
      const v = this.unitVector(text);
      for (let j = 0; j < v.length; j++) out[i * this.dimensions + j] = roundComponent(v[j]!);
    });
    return out;
  }

  private unitVector(text: string): Float64Array {
    const v = new Float32Array(this.dimensions);
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    const words = tokenize(text);
    let prev: string | undefined;
    for (const word of words) {
      if (embedderStopwords.has(word)) {
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
    return Float64Array.from(v, (x) => x / norm);
  }
}

/**
 * One vector of `embedPacked`'s output (its `subarray`), as `embedOne` returns it. A component is a multiple of
 * 1e-6 in [-1, 1], which a float32 holds to within 6e-8, so rounding again restores the very same number.
 */
export function unpackVector(packed: Float32Array): number[] {
  return Array.from(packed, roundComponent);
}

function roundComponent(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
