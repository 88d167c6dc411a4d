import path from 'node:path';
import { extractDocx } from './docx.ts';
import { extractHtml } from './html.ts';
import { extractMarkdown } from './markdown.ts';
import { extractPdf } from './pdf.ts';
import { textToBlocks } from './plain-text.ts';
import { decodeText } from './text-decode.ts';
import {
  defaultExtractionLimits,
  type DocumentFormat,
  type ExtractedDocument,
  ExtractionError,
  type ExtractionLimits,
} from './types.ts';

export * from './types.ts';

const byExtension: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

const byContentType: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** File extensions Parley can read. */
export const supportedExtensions = Object.keys(byExtension);

/** The format of a source from its name, then its content type; `undefined` when Parley cannot read it. */
export function detectFormat(name: string, contentType?: string): DocumentFormat | undefined {
  const ext = path.extname(pathPart(name)).toLowerCase();
  if (byExtension[ext]) return byExtension[ext];
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mime && byContentType[mime]) return byContentType[mime];
  return undefined;
}

export interface RawDocument {
  /** Path or URL, used in messages and as the fallback title. */
  name: string;
  bytes: Uint8Array;
  contentType?: string | undefined;
}

/**
 * Extracts a document's text with its structure. Throws `ExtractionError` for anything the user must fix
 * (unsupported type, empty, corrupt, encrypted, binary, undecodable), with a message naming the source.
 */
export async function extractDocument(
  raw: RawDocument,
  limits: ExtractionLimits = defaultExtractionLimits,
): Promise<ExtractedDocument> {
  const { name, bytes } = raw;
  const format = detectFormat(name, raw.contentType);
  if (!format) {
    const what = raw.contentType
      ? `content type ${raw.contentType}`
      : `extension "${path.extname(name) || '(none)'}"`;
    throw new ExtractionError(
      'unsupported_type',
      `${name}: unsupported file type (${what}); Parley reads ${supportedExtensions.join(' ')}`,
    );
  }
  if (bytes.length === 0) throw new ExtractionError('empty', `${name}: the file is empty`);
  const fallbackTitle = titleFromName(name);
  let doc: ExtractedDocument;
  switch (format) {
    case 'pdf':
      if (!startsWith(bytes, '%PDF'))
        throw new ExtractionError('corrupt', `${name}: not a PDF file (no %PDF header)`);
      doc = await extractPdf(bytes, name, limits);
      break;
    case 'docx':
      if (!startsWith(bytes, 'PK'))
        throw new ExtractionError('corrupt', `${name}: not a DOCX file (not a zip archive)`);
      doc = await extractDocx(bytes, name, limits);
      break;
    case 'html':
      doc = extractHtml(decodeText(bytes, name), fallbackTitle);
      break;
    case 'markdown':
      doc = extractMarkdown(decodeText(bytes, name), fallbackTitle);
      break;
    case 'text':
      doc = textToBlocks(decodeText(bytes, name), fallbackTitle);
      break;
  }
  if (!doc.blocks.some((b) => b.type === 'text' && b.text.trim())) {
    const hint = format === 'pdf' ? ' (a scanned PDF needs OCR first)' : '';
    throw new ExtractionError('empty', `${name}: no text found${hint}`);
  }
  return doc;
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  // PDF allows a little junk before the header; look in the first 1 KiB.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return magic === '%PDF' ? head.includes('%PDF-') : head.startsWith(magic);
}

function titleFromName(name: string): string {
  const base = path.basename(pathPart(name)).replace(/\.[^.]+$/, '');
  const words = base.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** The path of a file name or of a URL (without query or fragment). */
function pathPart(name: string): string {
  return /^https?:\/\//i.test(name) ? decodeURIComponent(new URL(name).pathname) : name;
}
