import { extractHtml } from './html.ts';
import { type ExtractedDocument, ExtractionError } from './types.ts';

/** DOCX through mammoth's HTML conversion, which maps Word heading styles to `<h1>`–`<h6>`. */
export async function extractDocx(bytes: Uint8Array, name: string): Promise<ExtractedDocument> {
  let html: string;
  try {
    // Loaded on first use: mammoth takes a noticeable share of start-up time and most runs never need it.
    const { default: mammoth } = await import('mammoth');
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/encrypt|password/i.test(message)) {
      throw new ExtractionError('encrypted', `${name}: the document is password-protected`);
    }
    throw new ExtractionError('corrupt', `${name}: not a readable DOCX file (${message.split('\n')[0]})`);
  }
  return extractHtml(html, name, 'docx');
}
