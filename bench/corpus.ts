import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real passages the synthetic corpus repeats; read in place, never copied into the repo. */
export const sourceCorpus = fileURLToPath(
  new URL('../../shared/data/mtrag-ibmcloud/corpus', import.meta.url),
);

export interface CorpusOptions {
  /** Documents to write (the 690 passages, repeated as often as needed). */
  documents: number;
  /** Folder to write into; a fresh temp folder when absent. */
  dir?: string;
  /**
   * Share of lines each copy after the first drops. The "Copy k" line alone changes only a document's last
   * chunk, so the other chunks of every copy would carry identical vectors; ties of that size make the HNSW
   * graph and recall@10 meaningless. Search benchmarks therefore drop some lines; ingestion keeps them all.
   */
  dropRate?: number;
}

export interface Corpus {
  dir: string;
  documents: number;
  bytes: number;
}

/**
 * Writes `documents` markdown files: copy k of passage p is the passage (with some lines dropped when
 * `dropRate` > 0) and a last line "Copy k". Deterministic: the same options give byte-identical files, and every
 * file is distinct. The line goes last because a leading short line would become the document's title.
 */
export async function buildCorpus(options: CorpusOptions): Promise<Corpus> {
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'parley-bench-corpus-')));
  await fs.mkdir(dir, { recursive: true });
  const names = (await fs.readdir(sourceCorpus)).filter((f) => f.endsWith('.md')).sort();
  const passages = await Promise.all(names.map((n) => fs.readFile(path.join(sourceCorpus, n), 'utf8')));
  let bytes = 0;
  for (let d = 0; d < options.documents; d++) {
    const copy = Math.floor(d / names.length);
    const p = d % names.length;
    const body =
      copy === 0 ? passages[p]! : dropLines(passages[p]!, options.dropRate ?? 0, `${copy}/${names[p]}`);
    const text = `${body.trimEnd()}\n\nCopy ${copy}\n`;
    bytes += Buffer.byteLength(text);
    await fs.writeFile(path.join(dir, `${String(copy).padStart(4, '0')}-${names[p]}`), text);
  }
  return { dir, documents: options.documents, bytes };
}

/**
 * Drops lines with probability `rate`, seeded by `seed`. Keeps the leading source and title lines and the longest
 * line, so every copy still has body text (a passage left with only short lines would read as headings alone).
 */
function dropLines(text: string, rate: number, seed: string): string {
  if (rate <= 0) return text;
  const random = seededRandom(seed);
  const lines = text.split('\n');
  const longest = lines.reduce((best, line, i) => (line.length > lines[best]!.length ? i : best), 0);
  return lines
    .filter((line, i) => i < 3 || i === longest || line.trim() === '' || random() >= rate)
    .join('\n');
}

/** mulberry32 seeded from a string: small, fast and the same on every machine. */
function seededRandom(seed: string): () => number {
  let a = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// `npx tsx bench/corpus.ts [documents] [dropRate]` writes a corpus and prints where.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const corpus = await buildCorpus({
    documents: Number(process.argv[2] ?? 2070),
    dropRate: Number(process.argv[3] ?? 0),
  });
  console.log(JSON.stringify(corpus));
}
