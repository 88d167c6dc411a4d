import zlib from 'node:zlib';

/**
 * Whether the PDF's flate-compressed streams, images aside, inflate to more than `limit` bytes. pdf.js keeps a
 * stream's inflated bytes in memory as it reads them, outside the JavaScript heap: a 4 MB PDF whose page
 * inflates to 1 GB took 1.2 GB of memory before any text limit could apply. Each stream is inflated here in a
 * stream that keeps only a count, stopping at the limit. Images are skipped: pdf.js does not decode them to
 * read text, and scanned pages legitimately inflate to a lot.
 */
export async function exceedsPdfExpansion(bytes: Uint8Array, limit: number): Promise<boolean> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (let at = 0; ;) {
    const keyword = pdf.indexOf('stream', at, 'latin1');
    if (keyword < 0) return false;
    if (keyword >= 3 && pdf.toString('latin1', keyword - 3, keyword) === 'end') {
      at = keyword + 6;
      continue;
    }
    let start = keyword + 6;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] === 0x0a) start++;
    const endstream = pdf.indexOf('endstream', start, 'latin1');
    const end = endstream < 0 ? pdf.length : endstream;
    // The stream's dictionary: back to the start of its object.
    const before = pdf.toString('latin1', Math.max(0, keyword - 4096), keyword);
    const dictionary = before.slice(before.lastIndexOf(' obj') + 1);
    if (/\/(FlateDecode|Fl)\b/.test(dictionary) && !/\/Subtype\s*\/Image\b/.test(dictionary)) {
      total += await inflatedSize(pdf.subarray(start, end), limit - total + 1);
      if (total > limit) return true;
    }
    at = end + 9;
  }
}

/** Bytes the zlib data inflates to, counted up to `budget`; a broken stream counts what came out before it broke. */
async function inflatedSize(data: Buffer, budget: number): Promise<number> {
  const inflater = zlib.createInflate();
  inflater.end(data);
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size >= budget) break;
    }
  } catch {
    // pdf.js reads such streams as far as they go; so does this count.
  } finally {
    inflater.destroy();
  }
  return size;
}
