import { type Chunk, chunkDocument, type ChunkOptions } from './chunk.ts';
import {
  type ExtractedDocument,
  extractDocument,
  ExtractionError,
  type ExtractionLimits,
  type RawDocument,
} from './extract/index.ts';

export interface PrepareOptions {
  chunk: ChunkOptions;
  limits: ExtractionLimits;
}

/** A document extracted and cut into chunks, ready to embed. */
export interface PreparedDocument {
  doc: ExtractedDocument;
  chunks: Chunk[];
}

/**
 * Extracts a document and chunks it, within the limits on how far one document may expand. Throws
 * `ExtractionError` (`too_large` for a limit) for anything wrong with the document itself. CPU-bound: the
 * ingestion path runs it on a worker thread (`prepare-pool.ts`).
 */
export async function prepareDocument(raw: RawDocument, options: PrepareOptions): Promise<PreparedDocument> {
  const { limits } = options;
  const doc = await extractDocument(raw, limits);
  const chars = doc.blocks.reduce((n, b) => n + b.text.length, 0);
  if (chars > limits.maxTextChars) {
    throw new ExtractionError(
      'too_large',
      `${raw.name}: ${megabytes(chars)} MB of text, more than ${megabytes(limits.maxTextChars)} MB (PARLEY_MAX_TEXT_MB)`,
    );
  }
  const chunks = chunkDocument(doc.title, doc.blocks, options.chunk);
  if (chunks.length > limits.maxChunks) {
    throw new ExtractionError(
      'too_large',
      `${raw.name}: ${chunks.length} chunks, more than ${limits.maxChunks} (PARLEY_MAX_CHUNKS)`,
    );
  }
  return { doc, chunks };
}

function megabytes(chars: number): number {
  return Math.round((chars / 1024 / 1024) * 10) / 10;
}
