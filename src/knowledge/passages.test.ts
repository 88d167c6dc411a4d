import { describe, expect, it } from 'vitest';
import { chunkDocument } from './chunk.ts';
import { withoutOverlap } from './passages.ts';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('neighbouring passages shown together', () => {
  it('reads as the section did: the overlap the chunker repeats is shown once', () => {
    const paragraph = Array.from(
      { length: 80 },
      (_, i) => `Step ${i} of the  reset:\thold the button for ${i} seconds.`,
    ).join(' ');
    const chunks = chunkDocument('Hub', [{ type: 'text', text: paragraph }], {
      maxTokens: 120,
      overlapTokens: 30,
    });
    expect(chunks.length).toBeGreaterThan(3);
    // The chunks do overlap: their words add up to more than the section's.
    expect(chunks.flatMap((c) => words(c.text)).length).toBeGreaterThan(words(paragraph).length);
    const joined = chunks
      .map((c) => c.text)
      .reduce((text, next) => `${text}\n\n${withoutOverlap(text, next)}`);
    expect(words(joined)).toEqual(words(paragraph));
  });

  it('keeps passages that only share a word or two, and separate sections, whole', () => {
    expect(withoutOverlap('Charge it for two hours.', 'Two hours later, unplug it.')).toBe(
      'Two hours later, unplug it.',
    );
    expect(withoutOverlap('Restart the hub.', 'Restart the hub. Then pair again.')).toBe('Then pair again.');
    expect(withoutOverlap('First part.', 'Second part.')).toBe('Second part.');
  });
});
