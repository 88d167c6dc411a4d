import zlib from 'node:zlib';

/** One member of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  compressedSize: number;
  /** As declared: a hostile archive may lie. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {}

const max32 = 0xffffffff;

/**
 * Reads a zip's central directory (zip64 included) without decompressing anything. Throws `ZipFormatError`
 * when the archive's structure is broken.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  const inside = (at: number, length: number) => at >= 0 && at + length <= bytes.length;

  // The end-of-directory record sits in the last 22 bytes plus a comment of at most 64 KiB.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError('no end of central directory');
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (count === 0xffff || offset === max32) {
    const locator = end - 20;
    if (!inside(locator, 20) || u32(locator) !== 0x07064b50) throw new ZipFormatError('no zip64 locator');
    const record = u64(locator + 8);
    if (!inside(record, 56) || u32(record) !== 0x06064b50) throw new ZipFormatError('no zip64 directory');
    count = u64(record + 32);
    offset = u64(record + 48);
  }

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (!inside(at, 46) || u32(at) !== 0x02014b50) throw new ZipFormatError('broken central directory');
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    if (!inside(at + 46, nameLength + extraLength)) throw new ZipFormatError('broken central directory');
    const entry: ZipEntry = {
      name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8'),
      method: u16(at + 10),
      compressedSize: u32(at + 20),
      uncompressedSize: u32(at + 24),
      localHeaderOffset: u32(at + 42),
    };
    // Sizes and offset that do not fit 32 bits are in the zip64 extra field, in this order, when saturated.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength;) {
      const id = u16(e);
      const size = u16(e + 2);
      if (id === 0x0001) {
        let field = e + 4;
        for (const key of ['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const) {
          if (entry[key] !== max32) continue;
          if (!inside(field, 8)) throw new ZipFormatError('broken zip64 field');
          entry[key] = u64(field);
          field += 8;
        }
      }
      e += 4 + size;
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Whether the archive decompresses to more than `limit` bytes. The declared sizes are checked first; then every
 * member is actually inflated, in a stream that keeps only a count, since the declared sizes can lie and the
 * zip readers check them only after decompressing everything.
 */
export async function exceedsExpansion(bytes: Uint8Array, limit: number): Promise<boolean> {
  const entries = readZipDirectory(bytes);
  if (entries.reduce((sum, e) => sum + e.uncompressedSize, 0) > limit) return true;
  let total = 0;
  for (const entry of entries) {
    total += await inflatedSize(bytes, entry, limit - total + 1);
    if (total > limit) return true;
  }
  return false;
}

async function inflatedSize(bytes: Uint8Array, entry: ZipEntry, budget: number): Promise<number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) {
    throw new ZipFormatError(`no local header for ${entry.name}`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.length;
  // Other methods (bzip2, LZMA…) are not in Word files, and the DOCX reader refuses them anyway.
  if (entry.method !== 8) return 0;
  const inflater = zlib.createInflateRaw();
  inflater.end(data);
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size >= budget) break;
    }
  } catch (error) {
    throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
  } finally {
    inflater.destroy();
  }
  return size;
}
