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
