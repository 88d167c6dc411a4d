import { extractHtml } from './html.ts';
import { type ExtractedDocument, ExtractionError, type ExtractionLimits } from './types.ts';
import { exceedsExpansion, ZipFormatError } from './zip-size.ts';

/**
 * DOCX through mammoth's HTML conversion, which maps Word heading styles to `<h1>`–`<h6>`. The archive's
 * decompressed size is checked first: a zip bomb of 1 MB ran the process out of memory inside mammoth.
 */
export async function extractDocx(
  bytes: Uint8Array,
  name: string,
  limits: Pick<ExtractionLimits, 'maxExtractedBytes'>,
): Promise<ExtractedDocument> {
  let tooLarge: boolean;
  try {
    tooLarge = await exceedsExpansion(bytes, limits.maxExtractedBytes);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    throw new ExtractionError('corrupt', `${name}: not a readable DOCX file (${error.message})`);
  }
  if (tooLarge) {
    const mb = Math.round(limits.maxExtractedBytes / 1024 / 1024);
    throw new ExtractionError(
      'too_large',
      `${name}: the document decompresses to more than ${mb} MB (PARLEY_MAX_EXTRACTED_MB); is it a zip bomb?`,
    );
  }
  let html: string;
  try {
    // Loaded on first use: mammoth takes a noticeable share of start-up time and most runs never need it.
    const { default: mammoth } = await import('mammoth');
    ({ value: html } = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      // Only an image's alt text is kept; the default inlines every image as base64, for nothing.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    ));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/encrypt|password/i.test(message)) {
      throw new ExtractionError('encrypted', `${name}: the document is password-protected`);
    }
    throw new ExtractionError('corrupt', `${name}: not a readable DOCX file (${message.split('\n')[0]})`);
  }
  return extractHtml(html, name, 'docx');
}
