import { Tokenizer } from 'htmlparser2';

const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

// Elements whose content the tokenizer reads as raw text: they cannot nest, and dropping one would turn its
// script or style into page text.
const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

const closesP = [
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
];

// The open tags that close an unclosed sibling, as the parser treats them (enough to keep the depth count close
// to the parser's on ordinary pages, where `<p>` and `<li>` are often left open).
const impliedClose = new Map<string, Set<string>>([
  ...closesP.map((tag): [string, Set<string>] => [tag, new Set(['p'])]),
  ['li', new Set(['li'])],
  ['dt', new Set(['dt', 'dd'])],
  ['dd', new Set(['dt', 'dd'])],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
  ['option', new Set(['option'])],
  ['tbody', new Set(['thead', 'tbody', 'tr', 'td', 'th'])],
  ['tfoot', new Set(['thead', 'tbody', 'tr', 'td', 'th'])],
]);

interface Open {
  name: string;
  dropped: boolean;
}

/**
 * Removes the tags (never their text) of elements nested deeper than `maxDepth`, as browsers do past 512 levels.
 * htmlparser2 keeps its open elements in an array it shifts and unshifts, so each tag costs time in proportion to
 * the depth: 200,000 nested `<div>`s took close to a minute to parse. One linear pass over the tokens, with the
 * open elements on a stack that only grows and shrinks at its end; the page comes back unchanged when nothing is
 * that deep.
 */
export function limitNesting(html: string, maxDepth = 256): string {
  const stack: Open[] = [];
  // How many of each name are open, so a close tag with no open element to match costs nothing.
  const openCount = new Map<string, number>();
  let kept = 0;
  const cut: [number, number][] = [];
  let pending: { name: string; start: number; dropped: boolean } | undefined;

  const push = (open: Open) => {
    stack.push(open);
    openCount.set(open.name, (openCount.get(open.name) ?? 0) + 1);
    if (!open.dropped) kept++;
  };
  const pop = (): Open => {
    const open = stack.pop()!;
    openCount.set(open.name, openCount.get(open.name)! - 1);
    if (!open.dropped) kept--;
    return open;
  };
  const name = (start: number, end: number) => html.slice(start, end).toLowerCase();

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        const tag = name(start, end);
        const closes = impliedClose.get(tag);
        while (closes && stack.length && closes.has(stack.at(-1)!.name)) pop();
        const dropped = kept >= maxDepth && !voidElements.has(tag) && !rawText.has(tag);
        pending = { name: tag, start: start - 1, dropped };
      },
      onopentagend(end) {
        if (!pending) return;
        if (pending.dropped) cut.push([pending.start, end + 1]);
        if (!voidElements.has(pending.name)) push({ name: pending.name, dropped: pending.dropped });
        pending = undefined;
      },
      onselfclosingtag(end) {
        // `<x/>` opens nothing that needs closing (in HTML proper the parser ignores the slash, but the
        // elements written that way, in SVG and MathML, are not the deep ones).
        if (pending?.dropped) cut.push([pending.start, end + 1]);
        pending = undefined;
      },
      onclosetag(start, end) {
        const tag = name(start, end);
        if (!openCount.get(tag)) return;
        let open = pop();
        while (open.name !== tag) open = pop();
        if (open.dropped) {
          const gt = html.indexOf('>', end);
          cut.push([start - 2, gt < 0 ? html.length : gt + 1]);
        }
      },
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  if (!cut.length) return html;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of cut) {
    parts.push(html.slice(from, start));
    from = end;
  }
  parts.push(html.slice(from));
  return parts.join('');
}
