import type { Chunk } from './chunk.ts';

// A prepared document crosses from the preparation thread to the server's thread as a few transferred buffers,
// not as strings and objects: a structured-clone message of 10,000 chunks and 12 MB of text costs the receiving
// thread a few hundred milliseconds in one piece, a transfer costs nothing, and each string is decoded only when
// the statement that stores it is built (bench/RESULTS.md, "Hostile uploads").

/** Strings as one UTF-8 buffer and the end of each in it. Plain data, so it survives `postMessage`. */
export interface PackedTexts {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** Chunks field by field, each chunk's heading path as JSON. */
export interface PackedChunks {
  ordinals: Int32Array;
  tokenCounts: Int32Array;
  headingPaths: PackedTexts;
  texts: PackedTexts;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Packs strings; a lone surrogate comes back as U+FFFD, as `wellFormedText` would make it. */
export function packTexts(texts: readonly string[]): PackedTexts {
  const encoded = texts.map((text) => encoder.encode(text));
  const ends = new Uint32Array(encoded.length);
  let size = 0;
  encoded.forEach((bytes, i) => {
    size += bytes.length;
    ends[i] = size;
  });
  const bytes = new Uint8Array(size);
  encoded.forEach((part, i) => bytes.set(part, i === 0 ? 0 : ends[i - 1]));
  return { bytes, ends };
}

export function unpackText(packed: PackedTexts, index: number): string {
  const start = index === 0 ? 0 : packed.ends[index - 1]!;
  return decoder.decode(packed.bytes.subarray(start, packed.ends[index]));
}

/** Every string, decoded one at a time as the caller asks for the next. */
export function* unpackTexts(packed: PackedTexts): Generator<string> {
  for (let i = 0; i < packed.ends.length; i++) yield unpackText(packed, i);
}

export function packChunks(chunks: readonly Chunk[]): PackedChunks {
  return {
    ordinals: Int32Array.from(chunks, (c) => c.ordinal),
    tokenCounts: Int32Array.from(chunks, (c) => c.tokenCount),
    headingPaths: packTexts(chunks.map((c) => JSON.stringify(c.headingPath))),
    texts: packTexts(chunks.map((c) => c.text)),
  };
}

export function packedChunkCount(packed: PackedChunks): number {
  return packed.ordinals.length;
}

/** The chunks from `start` up to (not including) `end`, decoded. */
export function unpackChunks(packed: PackedChunks, start: number, end: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = start; i < Math.min(end, packedChunkCount(packed)); i++) {
    chunks.push({
      ordinal: packed.ordinals[i]!,
      headingPath: JSON.parse(unpackText(packed.headingPaths, i)) as string[],
      text: unpackText(packed.texts, i),
      tokenCount: packed.tokenCounts[i]!,
    });
  }
  return chunks;
}

/** The buffers to transfer with a message holding `packed`. */
export function packedBuffers(...packed: (PackedTexts | PackedChunks)[]): ArrayBuffer[] {
  return packed.flatMap((p) =>
    'bytes' in p
      ? [p.bytes.buffer as ArrayBuffer, p.ends.buffer as ArrayBuffer]
      : [
          p.ordinals.buffer as ArrayBuffer,
          p.tokenCounts.buffer as ArrayBuffer,
          ...packedBuffers(p.headingPaths, p.texts),
        ],
  );
}
