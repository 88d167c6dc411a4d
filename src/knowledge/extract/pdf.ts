import { exceedsPdfExpansion } from './pdf-streams.ts';
import { type Block, type ExtractedDocument, ExtractionError, type ExtractionLimits } from './types.ts';

/** A positioned run of text on a page: what line rebuilding needs of pdf.js's text items. */
interface TextItem {
  str: string;
  y: number;
  fontSize: number;
  hasEOL: boolean;
}

interface Line {
  text: string;
  size: number;
  y: number;
  page: number;
}

/**
 * PDF to blocks. Text lines are rebuilt from positioned items; lines set noticeably larger than the body
 * font are headings (the largest sizes are the outer levels); a vertical gap starts a new paragraph. Pages and
 * text are capped: a 1 MB PDF whose compressed page streams inflate to gigabytes of text ran for minutes.
 */
export async function extractPdf(
  bytes: Uint8Array,
  name: string,
  limits: Pick<ExtractionLimits, 'maxExtractedBytes' | 'maxPdfPages' | 'maxTextChars'>,
): Promise<ExtractedDocument> {
  if (await exceedsPdfExpansion(bytes, limits.maxExtractedBytes)) {
    const mb = Math.round(limits.maxExtractedBytes / 1024 / 1024);
    throw new ExtractionError(
      'too_large',
      `${name}: its streams decompress to more than ${mb} MB (PARLEY_MAX_EXTRACTED_MB); is it a decompression bomb?`,
    );
  }
  // unpdf (pdf.js) takes ownership of the buffer it is given and empties it: hand it a copy.
  let doc;
  try {
    // Verbosity 0: errors only, not a warning for each page whose text reading is cut short.
    doc = await (await unpdf()).getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const kind = (error as { name?: string }).name ?? '';
    if (kind === 'PasswordException') {
      throw new ExtractionError(
        'encrypted',
        `${name}: the PDF is password-protected; remove the password and retry`,
      );
    }
    throw new ExtractionError('corrupt', `${name}: not a readable PDF (${(error as Error).message})`);
  }
  try {
    if (doc.numPages > limits.maxPdfPages) {
      throw new ExtractionError(
        'too_large',
        `${name}: the PDF has ${doc.numPages} pages, more than ${limits.maxPdfPages} (PARLEY_MAX_PDF_PAGES)`,
      );
    }
    const { getMeta } = await unpdf();
    const items = await readTextItems(doc, name, limits.maxTextChars);
    const meta = await getMeta(doc).catch(() => undefined);
    const lines = toLines(items);
    const blocks = toBlocks(lines);
    const metaTitle = typeof meta?.info?.Title === 'string' ? meta.info.Title.trim() : '';
    const firstHeading = blocks.find((b) => b.type === 'heading');
    return { title: metaTitle || firstHeading?.text || name, format: 'pdf', blocks, metadata: {} };
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError('corrupt', `${name}: the PDF could not be read (${(error as Error).message})`);
  } finally {
    await doc.loadingTask.destroy();
  }
}

type PdfDocument = Awaited<ReturnType<Awaited<ReturnType<typeof unpdf>>['getDocumentProxy']>>;

/**
 * The text items of every page, page by page, read as pdf.js streams them so that reading stops as soon as the
 * text passes `maxChars`, rather than after a page has inflated and parsed all of its content.
 */
async function readTextItems(doc: PdfDocument, name: string, maxChars: number): Promise<TextItem[][]> {
  const pages: TextItem[][] = [];
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const reader = page.streamTextContent().getReader();
    const items: TextItem[] = [];
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        for (const item of (chunk.value as { items: PdfTextItem[] }).items) {
          // Marked-content markers carry no text.
          if (typeof item.str !== 'string') continue;
          chars += item.str.length;
          if (chars > maxChars) {
            const mb = Math.round((maxChars / 1024 / 1024) * 10) / 10;
            throw new ExtractionError(
              'too_large',
              `${name}: more than ${mb} MB of text by page ${n} (PARLEY_MAX_TEXT_MB); is it a decompression bomb?`,
            );
          }
          const [, , c, d, , f] = item.transform;
          items.push({ str: item.str, y: f, fontSize: Math.hypot(c, d), hasEOL: item.hasEOL });
        }
      }
    } finally {
      // Stops pdf.js parsing the rest of the page. It needs a reason: without one the cancel fails, the
      // page's parsing goes on, and destroying the document waits for it (for ever, on a bomb).
      reader.cancel(new Error('enough text read')).catch(() => {});
      page.cleanup();
    }
    pages.push(items);
  }
  return pages;
}

interface PdfTextItem {
  str: string;
  transform: [number, number, number, number, number, number];
  hasEOL: boolean;
}

function toLines(pages: TextItem[][]): Line[] {
  const lines: Line[] = [];
  pages.forEach((items, page) => {
    let current: Line | undefined;
    for (const item of items) {
      if (current && Math.abs(item.y - current.y) > Math.max(2, current.size * 0.5) && item.str.trim()) {
        lines.push(current);
        current = undefined;
      }
      if (!current) current = { text: '', size: 0, y: item.y, page };
      current.text += item.str;
      if (item.str.trim()) current.size = Math.max(current.size, item.fontSize);
      if (item.hasEOL) {
        lines.push(current);
        current = undefined;
      }
    }
    if (current) lines.push(current);
  });
  return lines
    .map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() }))
    .filter((l) => l.text.length > 0 && !/^(page\s+)?\d+(\s*(of|\/)\s*\d+)?$/i.test(l.text));
}

function toBlocks(lines: Line[]): Block[] {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const s = Math.round(l.size * 2) / 2;
    weight.set(s, (weight.get(s) ?? 0) + l.text.length);
  }
  const body = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
  const headingSizes = [...weight.keys()].filter((s) => s >= body * 1.15).sort((a, b) => b - a);
  const levelOf = (size: number) => {
    const i = headingSizes.indexOf(Math.round(size * 2) / 2);
    return i < 0 ? 0 : Math.min(i + 1, 4);
  };

  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let prev: Line | undefined;
  const flush = () => {
    if (paragraph.length) blocks.push({ type: 'text', text: paragraph.join('\n') });
    paragraph = [];
  };
  for (const line of lines) {
    const level = line.text.length <= 120 ? levelOf(line.size) : 0;
    if (level > 0) {
      flush();
      const last = blocks.at(-1);
      // A heading wrapped over two lines arrives as two heading lines of the same size.
      if (
        last?.type === 'heading' &&
        last.level === level &&
        prev &&
        prev.page === line.page &&
        levelOf(prev.size) === level
      ) {
        last.text = `${last.text} ${line.text}`;
      } else {
        blocks.push({ type: 'heading', level, text: line.text });
      }
    } else {
      const gap = prev && prev.page === line.page ? prev.y - line.y : 0;
      if (prev && (prev.page !== line.page ? false : gap > line.size * 1.9)) flush();
      paragraph.push(line.text);
    }
    prev = line;
  }
  flush();
  return blocks;
}

/** unpdf, loaded on first use (it is large and most runs read no PDF). */
const unpdf = () => import('unpdf');
