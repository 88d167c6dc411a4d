import { ExtractionError } from './types.ts';

/**
 * Decodes bytes that should be text: UTF-8 (BOM optional) or UTF-16 with a BOM. Binary data and text in an
 * unknown legacy encoding are refused rather than stored as mojibake.
 */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes);
  if (looksBinary(bytes)) throw new ExtractionError('binary', `${name}: looks like binary data, not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ExtractionError(
      'encoding',
      `${name}: is not valid UTF-8 (or UTF-16 with a byte-order mark); re-save it as UTF-8`,
    );
  }
}

/** NUL bytes or many control characters in the first 8 KiB mean binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}
