import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Chunk } from './chunk.ts';
import {
  packChunks,
  packedBuffers,
  packedChunkCount,
  packTexts,
  unpackChunks,
  unpackText,
  unpackTexts,
} from './packed-chunks.ts';

describe('packed texts and chunks', () => {
  const texts = ['', 'Pairing', 'Ünïcödé 🎧 耳机', 'a\u0000b', '"quoted" \\ back', 'x'.repeat(70_000)];

  it('give back every string exactly, in order', () => {
    const packed = packTexts(texts);
    expect(texts.map((_, i) => unpackText(packed, i))).toEqual(texts);
    expect([...unpackTexts(packed)]).toEqual(texts);
    expect([...unpackTexts(packTexts([]))]).toEqual([]);
  });

  it('make a lone surrogate U+FFFD, as storing would', () => {
    expect(unpackText(packTexts(['a\uD83Cb']), 0)).toBe('a\uFFFDb');
  });

  it('give back any range of chunks, heading paths included', () => {
    const chunks: Chunk[] = texts.map((text, i) => ({
      ordinal: i,
      headingPath: i % 2 ? ['Setup', `Step "${i}" 🎧`] : [],
      text,
      tokenCount: i * 7,
    }));
    const packed = packChunks(chunks);
    expect(packedChunkCount(packed)).toBe(chunks.length);
    expect(unpackChunks(packed, 0, chunks.length)).toEqual(chunks);
    expect(unpackChunks(packed, 2, 4)).toEqual(chunks.slice(2, 4));
    expect(unpackChunks(packed, 4, 100)).toEqual(chunks.slice(4));
  });

  it('cross a message port by transfer, leaving nothing behind', async () => {
    const packed = packChunks([{ ordinal: 0, headingPath: ['A'], text: 'Hello', tokenCount: 1 }]);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<typeof packed>((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, packedBuffers(packed));
    const copy = await received;
    port1.close();
    port2.close();
    expect(packed.texts.bytes.length).toBe(0);
    expect(unpackChunks(copy, 0, 1)).toEqual([
      { ordinal: 0, headingPath: ['A'], text: 'Hello', tokenCount: 1 },
    ]);
  });
});
