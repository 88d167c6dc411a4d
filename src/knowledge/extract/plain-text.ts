import { type Block, type DocumentFormat, type ExtractedDocument } from './types.ts';

const metadataLineRe = /^(source|url|title|author|date|product|type)\s*:\s*(\S.*)$/i;

/**
 * Plain text to blocks. Leading `Key: value` lines become metadata; a short line standing alone between blank
 * lines, without closing punctuation other than a question mark, is taken as a heading (the first one as the
 * title).
 */
export function textToBlocks(
  source: string,
  fallbackTitle: string,
  format: DocumentFormat = 'text',
): ExtractedDocument {
  const metadata: Record<string, string> = {};
  const paragraphs = source
    .replace(/^\uFEFF/, '')
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.replace(/[ \t]+$/gm, '').replace(/^\s*\n|\n\s*$/g, ''))
    .filter((p) => p.trim());
  while (paragraphs.length > 0) {
    const lines = paragraphs[0]!.split(/\r?\n/);
    const meta = lines.map((l) => metadataLineRe.exec(l.trim()));
    if (!meta.every(Boolean)) break;
    for (const m of meta) metadata[m![1]!.toLowerCase()] = m![2]!.trim();
    paragraphs.shift();
  }
  const blocks: Block[] = [];
  let title = metadata.title;
  for (const p of paragraphs) {
    const text = p.trim();
    if (isHeadingLike(text)) {
      const heading = cleanInline(text.replace(/:$/, ''));
      if (!title) {
        title = heading;
        blocks.push({ type: 'heading', level: 1, text: heading });
      } else {
        blocks.push({ type: 'heading', level: 2, text: heading });
      }
    } else {
      blocks.push({ type: 'text', text: p.split(/\r?\n/).map(cleanInline).join('\n').trim() });
    }
  }
  return { title: title ?? fallbackTitle, format, blocks: blocks.filter((b) => b.text), metadata };
}

function isHeadingLike(text: string): boolean {
  if (text.includes('\n') || text.length > 90 || text.length < 2) return false;
  // A question standing alone is an FAQ entry's heading; other closing punctuation ends a sentence.
  if (/[.!,;]$/.test(text) || /^[-*+•]\s|^\d+[.)]\s/.test(text)) return false;
  // Commands, markup and code fragments are not headings, however short.
  if (/[{}<>=$`|]/.test(text) || !/^[\p{L}\p{N}"'(]/u.test(text)) return false;
  const words = text.split(/\s+/);
  // "To install the agent, you need:" introduces a list; "Requirements:" names a section.
  if (text.endsWith(':') && (text.includes(',') || words.length > 6)) return false;
  return words.length <= 12 && /[A-Za-z]/.test(text);
}

/** Strips inline Markdown: links keep their text, images and emphasis markers go. */
export function cleanInline(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/[ \t]+/g, ' ')
    .trimEnd();
}
