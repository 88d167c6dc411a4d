import { splitFrontMatter } from './front-matter.ts';
import { mdxToText } from './mdx.ts';
import { cleanInline, textToBlocks } from './plain-text.ts';
import { type Block, type ExtractedDocument } from './types.ts';

// Stands for a fenced code block while the prose around it is parsed: no real paragraph is exactly this.
const codeMark = (i: number) => `\uE000code${i}\uE000`;
const codeMarkRe = /^\uE000code(\d+)\uE000$/;

/**
 * Markdown (and MDX) to blocks: YAML front matter as metadata, ATX (`#`) and setext headings, lists and tables
 * as text, each fenced code block as a text block of its own, fences included and its lines untouched. MDX
 * imports and exports are dropped and components give the prose of their props. A file without any Markdown
 * heading is read like plain text, where short standalone lines count as headings.
 */
export function extractMarkdown(source: string, fallbackTitle: string): ExtractedDocument {
  const { metadata, body: withCode } = splitFrontMatter(source.replace(/^\uFEFF/, ''));
  const { prose, code } = setCodeAside(withCode);
  const body = mdxToText(prose);
  const lines = body.split(/\r?\n/);
  const hasHeadings = lines.some((l) => /^#{1,6}\s+\S/.test(l)) || /\n(=+|-+)\s*\n/.test(body);
  if (!hasHeadings) {
    const doc = textToBlocks(body, fallbackTitle, 'markdown');
    return {
      ...doc,
      title: metadata.title ?? doc.title,
      blocks: restoreCode(doc.blocks, code),
      metadata: { ...doc.metadata, ...metadata },
    };
  }

  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const text = paragraph.join('\n').trim();
    if (text) blocks.push({ type: 'text', text });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
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
  return {
    title,
    format: 'markdown',
    blocks: restoreCode(blocks, code).filter((b) => b.text !== ''),
    metadata,
  };
}

/**
 * Replaces each fenced code block by a marker paragraph, so that neither the prose rules (inline markup,
 * headings, MDX) nor paragraph splitting touch code. An unclosed fence runs to the end of the file.
 */
function setCodeAside(text: string): { prose: string; code: string[] } {
  const code: string[] = [];
  const out: string[] = [];
  let fence: { marker: string; lines: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (fence) {
      fence.lines.push(line);
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence.marker[0] && close[1]!.length >= fence.marker.length) {
        out.push('', codeMark(code.push(fence.lines.join('\n')) - 1), '');
        fence = undefined;
      }
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open) fence = { marker: open[1]!, lines: [line] };
    else out.push(line);
  }
  if (fence) out.push('', codeMark(code.push(fence.lines.join('\n')) - 1), '');
  return { prose: out.join('\n'), code };
}

function restoreCode(blocks: Block[], code: string[]): Block[] {
  return blocks.map((b) => {
    const mark = b.type === 'text' ? codeMarkRe.exec(b.text) : null;
    return mark ? { type: 'text', text: code[Number(mark[1])]!.replace(/\s+$/, '') } : b;
  });
}

/** `|---|:--:|` separator rows carry no text. */
function isTableRule(line: string): boolean {
  return /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
}
