/** A structural unit of an extracted document. */
export type Block = { type: 'heading'; level: number; text: string } | { type: 'text'; text: string };

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

export interface ExtractedDocument {
  title: string;
  format: DocumentFormat;
  blocks: Block[];
  /** Front-matter or leading `Key: value` lines (e.g. `source`, `product`, `type`). */
  metadata: Record<string, string>;
}

export type ExtractionErrorCode =
  | 'unsupported_type'
  | 'empty'
  | 'too_large'
  | 'corrupt'
  | 'encrypted'
  | 'binary'
  | 'encoding'
  | 'unreachable'
  | 'not_found';

/** How far one document may expand; see `PARLEY_MAX_*` in the README. */
export interface ExtractionLimits {
  /** Most bytes an archive (DOCX) may decompress to, all its entries together. */
  maxExtractedBytes: number;
  maxPdfPages: number;
  /** Most characters of text extracted from one document. */
  maxTextChars: number;
  maxChunks: number;
  /** Longest extraction and chunking of one document may take. */
  timeoutMs: number;
}

/** The defaults of `src/config.ts`, for callers that pass no limits of their own. */
export const defaultExtractionLimits: ExtractionLimits = {
  maxExtractedBytes: 100 * 1024 * 1024,
  maxPdfPages: 2000,
  maxTextChars: 32 * 1024 * 1024,
  maxChunks: 30_000,
  timeoutMs: 300_000,
};

/** An expected, per-source failure: reported to the user, never half-stored. */
export class ExtractionError extends Error {
  constructor(
    readonly code: ExtractionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractionError';
  }
}

/** Renders blocks back to Markdown: the stored text of a version, used for diffs. */
export function blocksToMarkdown(blocks: Block[]): string {
  return blocks
    .map((b) => (b.type === 'heading' ? `${'#'.repeat(Math.min(b.level, 6))} ${b.text}` : b.text))
    .join('\n\n');
}
