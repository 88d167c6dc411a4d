import { describe, expect, it } from 'vitest';
import { chunkDocument } from './chunk.ts';
import { type Block } from './extract/types.ts';
import { countTokens } from './token-count.ts';

const sentence = (i: number) => `Sentence number ${i} explains one more detail about resetting the hub.`;

describe('chunking', () => {
  it('keeps each chunk under the token budget and records its heading path', () => {
    const blocks: Block[] = [
      { type: 'heading', level: 1, text: 'Hub manual' },
      { type: 'heading', level: 2, text: 'Resetting' },
      { type: 'text', text: Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ') },
      { type: 'heading', level: 3, text: 'Factory reset' },
      { type: 'text', text: Array.from({ length: 30 }, (_, i) => sentence(100 + i)).join(' ') },
      { type: 'heading', level: 2, text: 'Lights' },
      {
        type: 'text',
        text: Array.from({ length: 20 }, (_, i) => `Light ${i} is explained here in words.`).join('\n\n'),
      },
    ];
    const chunks = chunkDocument('Hub manual', blocks, { maxTokens: 120, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(120);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    const paths = [...new Set(chunks.map((c) => c.headingPath.join(' > ')))];
    expect(paths).toEqual(['Resetting', 'Resetting > Factory reset', 'Lights']);
    // Every sentence survives chunking.
    const all = chunks.map((c) => c.text).join(' ');
    for (let i = 0; i < 60; i++) expect(all).toContain(sentence(i));
  });

  it('repeats the end of a split section at the start of the next chunk', () => {
    const blocks: Block[] = [
      { type: 'text', text: Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ') },
    ];
    const [first, second] = chunkDocument('T', blocks, { maxTokens: 100, overlapTokens: 30 });
    const firstOfSecond = second!.text.split(/(?<=\.)\s+/)[0]!;
    expect(first!.text.endsWith(firstOfSecond) || first!.text.includes(`${firstOfSecond} `)).toBe(true);
    expect(first!.text.indexOf(firstOfSecond)).toBeGreaterThan(first!.text.length / 2);
  });

  it('merges a tiny section into its sibling rather than making a near-empty chunk', () => {
    const blocks: Block[] = [
      { type: 'heading', level: 2, text: 'Intro' },
      { type: 'text', text: 'Short.' },
      { type: 'heading', level: 2, text: 'Details' },
      { type: 'text', text: 'Longer text about the details of the product and how it works.' },
    ];
    const chunks = chunkDocument('Doc', blocks, { maxTokens: 200, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toContain('Short.');
    expect(chunks[0]!.text).toContain('Details');
  });

  it('counts tokens close to a BPE tokenizer', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('internationalization')).toBe(4);
  });

  it('chunks 12 MB without a full stop in linear time, every chunk within the budget', () => {
    // One "sentence" of two million words: the word splitter used to re-count its growing run per word.
    const words: string[] = [];
    for (let size = 0, i = 0; size < 12 * 1024 * 1024; i++) {
      const word = `word${i % 1000}`;
      words.push(word);
      size += word.length + 1;
    }
    const started = performance.now();
    const chunks = chunkDocument('Big', [{ type: 'text', text: words.join(' ') }], {
      maxTokens: 300,
      overlapTokens: 40,
    });
    // A guard against going quadratic again (it took 25-33 s on an idle machine), not a benchmark: about 1.5 s
    // here, and up to 11 s with the two cores shared by several test runs.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeLessThanOrEqual(300);
  });
});
