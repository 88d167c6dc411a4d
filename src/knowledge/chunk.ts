import { type Block } from './extract/types.ts';
import { countTokens } from './token-count.ts';

export interface Chunk {
  ordinal: number;
  /** Headings above this chunk, outermost first (the document title excluded). */
  headingPath: string[];
  text: string;
  tokenCount: number;
}

export interface ChunkOptions {
  /** Most tokens in one chunk. */
  maxTokens: number;
  /** Tokens of the previous piece repeated at the start of the next when a section is split. */
  overlapTokens: number;
}

interface Section {
  path: string[];
  paragraphs: string[];
}

/**
 * Splits a document by headings, then packs each section's paragraphs into chunks within the token budget.
 * A section too long for one chunk is split at paragraph, then sentence, boundaries, with overlap; sections
 * too short to stand alone are merged into the next one under their common parent.
 */
export function chunkDocument(title: string, blocks: Block[], options: ChunkOptions): Chunk[] {
  const sections = toSections(title, blocks);
  const merged = mergeSmallSections(sections, Math.min(60, options.maxTokens / 4));
  const chunks: Chunk[] = [];
  for (const section of merged) {
    for (const text of packSection(section.paragraphs, options)) {
      chunks.push({ ordinal: chunks.length, headingPath: section.path, text, tokenCount: countTokens(text) });
    }
  }
  return chunks;
}

function toSections(title: string, blocks: Block[]): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section = { path: [], paragraphs: [] };
  for (const block of blocks) {
    if (block.type === 'heading') {
      if (current.paragraphs.length) sections.push(current);
      while (stack.length && stack.at(-1)!.level >= block.level) stack.pop();
      stack.push({ level: block.level, text: block.text });
      // The title is context for every chunk already; don't repeat it as a heading.
      const path = stack.map((s) => s.text).filter((t, i) => !(i === 0 && t === title));
      current = { path, paragraphs: [] };
    } else {
      current.paragraphs.push(block.text);
    }
  }
  if (current.paragraphs.length) sections.push(current);
  return sections;
}

function mergeSmallSections(sections: Section[], minTokens: number): Section[] {
  const out: Section[] = [];
  for (const section of sections) {
    const prev = out.at(-1);
    const prevTokens = prev ? countTokens(prev.paragraphs.join('\n')) : Infinity;
    if (prev && prevTokens < minTokens && sameParent(prev.path, section.path)) {
      // Keep the merged section's own heading visible in the text.
      const heading = section.path.at(-1);
      prev.paragraphs.push(...(heading ? [heading] : []), ...section.paragraphs);
      prev.path = commonPrefix(prev.path, section.path);
    } else {
      out.push({ path: section.path, paragraphs: [...section.paragraphs] });
    }
  }
  return out;
}

function sameParent(a: string[], b: string[]): boolean {
  return commonPrefix(a, b).length >= Math.min(a.length, b.length) - 1;
}

function commonPrefix(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]!);
  return out;
}

interface Piece {
  text: string;
  /** How the piece joins the one before it: a paragraph break, or a space within a split paragraph. */
  separator: string;
}

function packSection(paragraphs: string[], { maxTokens, overlapTokens }: ChunkOptions): string[] {
  // Paragraphs that fit are kept whole; longer ones are cut into sentences, so a split can overlap.
  const pieces: Piece[] = paragraphs.flatMap((p) =>
    countTokens(p) <= maxTokens
      ? [{ text: p, separator: '\n\n' }]
      : splitLong(p, maxTokens).map((text, i) => ({ text, separator: i === 0 ? '\n\n' : ' ' })),
  );
  const out: string[] = [];
  let current = '';
  let tokens = 0;
  for (const piece of pieces) {
    const n = countTokens(piece.text);
    if (current && tokens + n > maxTokens) {
      out.push(current);
      // Overlap only as far as the budget allows next to the incoming piece.
      current = overlapTail(current, Math.min(overlapTokens, maxTokens - n));
      tokens = countTokens(current);
    }
    current = current ? `${current}${piece.separator}${piece.text}` : piece.text;
    tokens += n;
  }
  if (current) out.push(current);
  return out;
}

/** Cuts an over-long paragraph into sentences (or, failing that, lines or runs of words) within the budget. */
function splitLong(paragraph: string, maxTokens: number): string[] {
  return paragraph
    .split(/(?<=[.!?])\s+|\n+/)
    .filter((s) => s.trim())
    .flatMap((s) => (countTokens(s) <= maxTokens ? [s] : splitWords(s, maxTokens)));
}

function splitWords(text: string, maxTokens: number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const whole of text.split(/\s+/)) {
    const word = whole.length > maxTokens * 4 ? whole.slice(0, maxTokens * 4) : whole;
    // Tokens never span whitespace, so a run's count is the sum of its words' counts: counting each word once
    // keeps this linear (re-counting the joined run per word took half a minute on 12 MB without a full stop).
    const n = countTokens(word);
    if (current.length && tokens + n > maxTokens) {
      out.push(current.join(' '));
      current = [];
      tokens = 0;
    }
    current.push(word);
    tokens += n;
  }
  if (current.length) out.push(current.join(' '));
  return out;
}

/** The last whole sentences of a chunk, within the overlap budget. */
function overlapTail(text: string, overlapTokens: number): string {
  if (overlapTokens <= 0) return '';
  const sentences = text.split(/(?<=[.!?])\s+/);
  const tail: string[] = [];
  let tokens = 0;
  for (let i = sentences.length - 1; i >= 0; i--) {
    const n = countTokens(sentences[i]!);
    if (tokens + n > overlapTokens) break;
    tail.unshift(sentences[i]!);
    tokens += n;
  }
  return tail.join(' ');
}
