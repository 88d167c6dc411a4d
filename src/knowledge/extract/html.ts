import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { limitNesting } from './html-depth.ts';
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
  const dom = parseDocument(limitNesting(html), { decodeEntities: true, lowerCaseTags: true });
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

  // Depth-first, with the work on an explicit stack rather than the call stack: a page may nest as deep as the
  // parser lets it. A task is a node to visit or a step to run once a node's children are done.
  type Task = { node: ChildNode; listDepth: number } | (() => void);
  const tasks: Task[] = [];
  const visitLater = (nodes: ChildNode[], listDepth: number) => {
    for (let i = nodes.length - 1; i >= 0; i--) tasks.push({ node: nodes[i]!, listDepth });
  };
  const visit = (node: ChildNode, listDepth: number): void => {
    if (isText(node)) {
      line += node.data;
      return;
    }
    if (!isTag(node) || skipped.has(node.name)) return;
    const name = node.name;
    const heading = /^h([1-6])$/.exec(name);
    if (heading) {
      flushBlock();
      const text = textOf(node);
      if (text) blocks.push({ type: 'heading', level: Number(heading[1]), text });
    } else if (name === 'ul' || name === 'ol') {
      flushLine();
      const items = node.children.filter((li): li is Element => isTag(li) && li.name === 'li');
      // Pushed in reverse: each item's marker, its content, then a line break; the list's end after them all.
      if (listDepth === 0) tasks.push(flushBlock);
      for (let i = items.length - 1; i >= 0; i--) {
        const marker = `${'  '.repeat(listDepth)}${name === 'ol' ? `${i + 1}.` : '-'} `;
        tasks.push(flushLine);
        visitLater(items[i]!.children, listDepth + 1);
        tasks.push(() => {
          flushLine();
          line = marker;
        });
      }
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
      const edge = listDepth === 0 ? flushBlock : flushLine;
      edge();
      tasks.push(edge);
      visitLater(node.children, listDepth);
    } else {
      visitLater(node.children, listDepth);
    }
  };
  visitLater(root.children, 0);
  for (let task = tasks.pop(); task; task = tasks.pop()) {
    if (typeof task === 'function') task();
    else visit(task.node, task.listDepth);
  }
  flushBlock();

  const h1 = blocks.find((b) => b.type === 'heading' && b.level === 1);
  const title = (titleEl ? textOf(titleEl) : '') || h1?.text || fallbackTitle;
  return { title, format, blocks, metadata: {} };
}

/** Nodes in document order, depth first, without recursion; `descend` says whether to go below a tag. */
function* preorder(nodes: ChildNode[], descend: (el: Element) => boolean): Generator<ChildNode> {
  const stack = [...nodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node;
    if (isTag(node) && descend(node)) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
}

function textOf(el: Element): string {
  const parts: string[] = [];
  for (const n of preorder(el.children, (t) => !skipped.has(t.name))) {
    if (isText(n)) parts.push(n.data);
    else if (isTag(n) && n.name === 'br') parts.push(' ');
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function findFirst(nodes: ChildNode[], test: (el: Element) => boolean): Element | undefined {
  for (const n of preorder(nodes, () => true)) if (isTag(n) && test(n)) return n;
  return undefined;
}

/** The elements that pass `test`, not looking inside the ones found. */
function findAll(nodes: ChildNode[], test: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  for (const n of preorder(nodes, (el) => !test(el))) if (isTag(n) && test(n)) out.push(n);
  return out;
}
