import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { type Block, type DocumentFormat, type ExtractedDocument } from './types.ts';

const skipped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'nav',
  'footer',
  'header',
  'aside',
  'form',
  'button',
  'select',
  'head',
]);
const blockTags = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'blockquote',
  'pre',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'body',
  'html',
  'hr',
]);

/**
 * HTML to blocks: headings, paragraphs, lists (as `- ` / `1. ` lines) and tables (as `| a | b |` rows). Page
 * chrome (nav, header, footer, aside, scripts, forms) is dropped; `<main>` or `<article>` is preferred when present.
 */
export function extractHtml(
  html: string,
  fallbackTitle: string,
  format: DocumentFormat = 'html',
): ExtractedDocument {
  const dom = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const titleEl = findFirst(dom.children, (el) => el.name === 'title');
  const root = findFirst(dom.children, (el) => el.name === 'main') ??
    findFirst(dom.children, (el) => el.name === 'article') ?? { children: dom.children };

  const blocks: Block[] = [];
  let line = '';
  const lines: string[] = [];
  const flushLine = () => {
    // Keep the indentation of nested list items; collapse all other whitespace.
    const indent = /^ */.exec(line)![0];
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) lines.push(indent + t);
    line = '';
  };
  const flushBlock = () => {
    flushLine();
    if (lines.length) blocks.push({ type: 'text', text: lines.join('\n') });
    lines.length = 0;
  };

  const walk = (nodes: ChildNode[], listDepth: number): void => {
    for (const node of nodes) {
      if (isText(node)) {
        line += node.data;
        continue;
      }
      if (!isTag(node) || skipped.has(node.name)) continue;
      const name = node.name;
      const heading = /^h([1-6])$/.exec(name);
      if (heading) {
        flushBlock();
        const text = textOf(node);
        if (text) blocks.push({ type: 'heading', level: Number(heading[1]), text });
      } else if (name === 'ul' || name === 'ol') {
        flushLine();
        let n = 0;
        for (const li of node.children) {
          if (!isTag(li) || li.name !== 'li') continue;
          n++;
          flushLine();
          line = `${'  '.repeat(listDepth)}${name === 'ol' ? `${n}.` : '-'} `;
          walk(li.children, listDepth + 1);
          flushLine();
        }
        if (listDepth === 0) flushBlock();
      } else if (name === 'table') {
        flushBlock();
        for (const row of findAll(node.children, (el) => el.name === 'tr')) {
          const cells = row.children.filter(isTag).filter((c) => c.name === 'td' || c.name === 'th');
          const text = cells.map((c) => textOf(c).replace(/\|/g, '/')).join(' | ');
          if (text.replace(/[\s|]/g, '')) lines.push(`| ${text} |`);
        }
        flushBlock();
      } else if (name === 'br') {
        flushLine();
      } else if (name === 'img') {
        const alt = node.attribs.alt?.trim();
        if (alt) line += ` ${alt} `;
      } else if (blockTags.has(name)) {
        if (listDepth === 0) flushBlock();
        else flushLine();
        walk(node.children, listDepth);
        if (listDepth === 0) flushBlock();
        else flushLine();
      } else {
        walk(node.children, listDepth);
      }
    }
  };
  walk(root.children, 0);
  flushBlock();

  const h1 = blocks.find((b) => b.type === 'heading' && b.level === 1);
  const title = (titleEl ? textOf(titleEl) : '') || h1?.text || fallbackTitle;
  return { title, format, blocks, metadata: {} };
}

function textOf(el: Element): string {
  let out = '';
  const walk = (nodes: ChildNode[]) => {
    for (const n of nodes) {
      if (isText(n)) out += n.data;
      else if (isTag(n) && !skipped.has(n.name)) {
        if (n.name === 'br') out += ' ';
        walk(n.children);
      }
    }
  };
  walk(el.children);
  return out.replace(/\s+/g, ' ').trim();
}

function findFirst(nodes: ChildNode[], test: (el: Element) => boolean): Element | undefined {
  for (const n of nodes) {
    if (!isTag(n)) continue;
    if (test(n)) return n;
    const found = findFirst(n.children, test);
    if (found) return found;
  }
  return undefined;
}

function findAll(nodes: ChildNode[], test: (el: Element) => boolean, out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (!isTag(n)) continue;
    if (test(n)) out.push(n);
    else findAll(n.children, test, out);
  }
  return out;
}
