import zlib from 'node:zlib';

/**
 * Hostile documents, generated rather than committed: decompression bombs and inputs that used to make
 * extraction or chunking super-linear. Used by the ingestion tests and `bench/hostile.ts`.
 */

interface ZipMember {
  name: string;
  data: Buffer;
  crc: number;
  /** The size written into the headers. */
  size: number;
}

/** A zip archive of deflated members (no zip64: members stay under 4 GiB). */
function zip(members: ZipMember[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(m.crc >>> 0, 14);
    header.writeUInt32LE(m.data.length, 18);
    header.writeUInt32LE(m.size, 22);
    header.writeUInt16LE(name.length, 26);
    local.push(header, name, m.data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(m.crc >>> 0, 16);
    entry.writeUInt32LE(m.data.length, 20);
    entry.writeUInt32LE(m.size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + m.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

function member(name: string, text: string): ZipMember {
  const bytes = Buffer.from(text);
  return { name, data: zlib.deflateRawSync(bytes), crc: zlib.crc32(bytes), size: bytes.length };
}

/**
 * A DOCX whose `word/document.xml` inflates to about `inflatedBytes` of paragraphs. With `lie`, the headers
 * claim a small size, as a bomb aimed at readers that trust them would.
 */
export async function docxBomb(inflatedBytes: number, options: { lie?: boolean } = {}): Promise<Buffer> {
  const w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${w}"><w:body>`;
  const tail = '</w:body></w:document>';
  // One paragraph of a single letter repeated: runs of one byte are what deflate packs tightest (about 1000:1).
  const start = '<w:p><w:r><w:t>';
  const end = '</w:t></w:r></w:p>';
  const letters = Math.max(1, inflatedBytes - head.length - tail.length - start.length - end.length);
  const whole = await deflateDocument(head + start, Buffer.from('a'), letters, end + tail);
  const inflated = head.length + start.length + letters + end.length + tail.length;
  const size = options.lie ? 1000 : Math.min(0xffffffff, inflated);
  return zip([
    member(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    member(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    { name: 'word/document.xml', data: whole.data, crc: whole.crc, size },
  ]);
}

/** One deflate stream of `head`, `unit` × `times` and `tail`, deflated as it is written: the inflated size
 * never sits in memory. */
async function deflateDocument(head: string, unit: Buffer, times: number, tail: string) {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const write = async (piece: Buffer) => {
    crc = zlib.crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  };
  let crc = 0;
  await write(Buffer.from(head));
  const perWrite = Math.max(1, Math.floor((1024 * 1024) / unit.length));
  // Whole megabytes at a time: one write per unit would take far longer than the deflating.
  const block = Buffer.alloc(perWrite * unit.length, unit);
  for (let written = 0; written < times; written += perWrite) {
    await write(times - written >= perWrite ? block : block.subarray(0, (times - written) * unit.length));
  }
  await write(Buffer.from(tail));
  deflate.end();
  await done;
  return { data: Buffer.concat(out), crc };
}

/** A one-page PDF whose flate-compressed content stream draws about `inflatedBytes` of text. */
export async function pdfBomb(inflatedBytes: number): Promise<Buffer> {
  // Two lines drawn over and over at the same two places: text that stays on the page however long it runs.
  const words = 'bomb '.repeat(12);
  const line = Buffer.from(`1 0 0 1 72 700 Tm (${words}) Tj 1 0 0 1 72 686 Tm (${words}) Tj\n`);
  const times = Math.max(1, Math.floor(inflatedBytes / line.length));
  const stream = await deflateDocument('BT /F1 10 Tf\n', line, times, 'ET\n');
  const zlibStream = Buffer.concat([Buffer.from([0x78, 0xda]), stream.data, adler32Placeholder()]);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  let size = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(size);
    const piece =
      body === null
        ? Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< /Length ${zlibStream.length} /Filter /FlateDecode >>\nstream\n`),
            zlibStream,
            Buffer.from('\nendstream\nendobj\n'),
          ])
        : Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`);
    parts.push(piece);
    size += piece.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}

// pdf.js does not verify the zlib trailer's checksum, and computing Adler-32 over gigabytes in JavaScript would
// cost more than the bomb is worth.
function adler32Placeholder(): Buffer {
  return Buffer.alloc(4);
}

/** A PDF of `pages` pages that all show the same short text. */
export function pdfPages(pages: number): Buffer {
  const content = 'BT /F1 12 Tf 72 700 Td (A page of a very long manual.) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ')}] /Count ${pages} >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...Array.from(
      { length: pages },
      () =>
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>',
    ),
  ];
  let pdf = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${pdf.length}\n%%EOF\n`;
  return Buffer.from(pdf + xref, 'latin1');
}

/** HTML nesting `depth` elements inside each other around one sentence. */
export function nestedDivs(depth: number): string {
  return `<html><body><h1>Nested</h1>${'<div>'.repeat(depth)}deep text${'</div>'.repeat(depth)}</body></html>`;
}

/** About `bytes` of words with no punctuation and no line breaks: one endless sentence. */
export function unpunctuatedText(bytes: number): string {
  const words: string[] = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const word = `word${i % 1000}`;
    words.push(word);
    size += word.length + 1;
  }
  return words.join(' ');
}
