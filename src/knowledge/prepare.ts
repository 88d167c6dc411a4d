import { chunkDocument, type ChunkOptions } from './chunk.ts';
import { LocalEmbedder } from './embed/local.ts';
import {
  blocksToMarkdown,
  extractDocument,
  ExtractionError,
  type ExtractionLimits,
  type RawDocument,
} from './extract/index.ts';
import { packChunks, type PackedChunks, packTexts, type PackedTexts } from './packed-chunks.ts';
import type { DocumentHeader } from './store.ts';
import { textParts } from './text-parts.ts';

export interface PrepareOptions {
  chunk: ChunkOptions;
  limits: ExtractionLimits;
  /** Embed the chunks with the local embedder of these dimensions too (a model embedder runs elsewhere). */
  localEmbedding?: { dimensions: number } | undefined;
}

/**
 * A document extracted and cut into chunks, ready to embed (or embedded, with `localEmbedding`), packed to be handed
 * from the preparation thread by transfer.
 */
export interface PreparedDocument {
  doc: DocumentHeader;
  /** The version's text (Markdown) in the parts it is stored in (`textParts`). */
  text: PackedTexts;
  chunks: PackedChunks;
  /** With `localEmbedding`: every chunk's vector, one after another (`LocalEmbedder.embedPacked`). */
  embeddings?: Float32Array | undefined;
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
  const { blocks, ...header } = doc;
  const packed = {
    doc: header,
    text: packTexts(textParts(blocksToMarkdown(blocks))),
    chunks: packChunks(chunks),
  };
  if (!options.localEmbedding) return packed;
  const embedder = new LocalEmbedder(options.localEmbedding.dimensions);
  const embeddings = embedder.embedPacked(
    chunks.map((c) => contextualText(doc.title, c.headingPath, c.text)),
  );
  return { ...packed, embeddings };
}

/** What gets embedded: the chunk with its title and heading path, so a passage keeps its context. */
export function contextualText(title: string, headingPath: string[], text: string): string {
  return [title, headingPath.join(' > '), text].filter(Boolean).join('\n');
}

function megabytes(chars: number): number {
  return Math.round((chars / 1024 / 1024) * 10) / 10;
}
