import { type Block, type ExtractedDocument } from './types.ts';
import { cleanInline, textToBlocks } from './plain-text.ts';

const frontMatterRe = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/**
 * Markdown to blocks: ATX (`#`) and setext headings, lists, tables and code kept as text. A file without any
 * Markdown heading is read like plain text, where short standalone lines count as headings.
 */
export function extractMarkdown(source: string, fallbackTitle: string): ExtractedDocument {
  const metadata: Record<string, string> = {};
  let body = source.replace(/^\uFEFF/, '');
  const fm = frontMatterRe.exec(body);
  if (fm) {
    for (const line of fm[1]!.split(/\r?\n/)) {
      const m = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
      if (m) metadata[m[1]!.toLowerCase()] = m[2]!.replace(/^["']|["']$/g, '').trim();
    }
    body = body.slice(fm[0].length);
  }
  const lines = body.split(/\r?\n/);
  const hasHeadings = lines.some((l) => /^#{1,6}\s+\S/.test(l)) || /\n(=+|-+)\s*\n/.test(body);
  if (!hasHeadings) {
    const doc = textToBlocks(body, fallbackTitle, 'markdown');
    return { ...doc, title: metadata.title ?? doc.title, metadata: { ...doc.metadata, ...metadata } };
  }

  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = paragraph.join('\n').trim();
    if (text) blocks.push({ type: 'text', text });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      paragraph.push(line);
      continue;
    }
    const atx = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const next = lines[i + 1];
    if (atx) {
      flush();
      blocks.push({ type: 'heading', level: atx[1]!.length, text: cleanInline(atx[2]!) });
    } else if (
      line.trim() &&
      paragraph.length === 0 &&
      next !== undefined &&
      /^(=+|-+)\s*$/.test(next) &&
      !/^\s*[-*+]\s/.test(line)
    ) {
      flush();
      blocks.push({ type: 'heading', level: next.startsWith('=') ? 1 : 2, text: cleanInline(line.trim()) });
      i++;
    } else if (!line.trim()) {
      flush();
    } else if (/^\s*(<!--.*-->\s*)$/.test(line)) {
      continue;
    } else {
      paragraph.push(isTableRule(line) ? '' : cleanInline(line));
    }
  }
  flush();
  const firstH1 = blocks.find((b) => b.type === 'heading' && b.level === 1);
  const title = metadata.title ?? (firstH1 ? firstH1.text : fallbackTitle);
  return { title, format: 'markdown', blocks: blocks.filter((b) => b.text !== ''), metadata };
}

/** `|---|:--:|` separator rows carry no text. */
function isTableRule(line: string): boolean {
  return /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
}
