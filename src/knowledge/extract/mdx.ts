// MDX module syntax: `import x from "y"`, `import "y"`, `import {` (continued on the next lines) and
// `export const meta = {...}`. Strict, so that unfenced code in plain Markdown ("import (" in Go, "import BMSCore"
// in Swift, "export PATH=...") stays.
const esmStartRe =
  /^(?:import\s+(?:[\w*{}\s,]+\s+from\s+["'][^"']+["']|["'][^"']+["']|\{[^}]*$)|export\s+(?:const|let|var|function|class|default|async)\s)/;

// A JSX component tag (capitalised name, or a fragment), with string, expression or bare props, over lines.
const componentTagRe =
  /<\/?(?:[A-Z][\w.]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}))?)*\s*\/?)?>/g;

const stringPropRe = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

// Props that hold words for the reader even when short ("Warning").
const proseProps = new Set(['title', 'alt', 'label', 'caption', 'description', 'summary', 'heading', 'text']);
// Props that never do, however many words they hold.
const codeProps = new Set([
  'classname',
  'class',
  'style',
  'id',
  'key',
  'ref',
  'href',
  'src',
  'to',
  'type',
  'variant',
  'color',
  'size',
  'width',
  'height',
  'icon',
  'lang',
  'language',
  'role',
  'slot',
  'target',
  'rel',
]);

/**
 * Reads MDX prose as text: import and export statements are dropped, component tags are replaced by the
 * prose of their string props (`<Callout title="Unplug first">` → "Unplug first"), and expression props are
 * dropped. Give it prose only: fenced code must be set aside first.
 */
export function mdxToText(prose: string): string {
  return dropModuleSyntax(prose).replace(componentTagRe, (tag) => propProse(tag).join('\n'));
}

function propProse(tag: string): string[] {
  const kept: string[] = [];
  // Expression props may hold quoted strings of their own (`onDone={() => track("done")}`).
  const withoutExpressions = tag.replace(/=\s*\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}/g, '');
  for (const m of withoutExpressions.matchAll(stringPropRe)) {
    const name = m[1]!.toLowerCase();
    const value = (m[2] ?? m[3] ?? '').trim();
    if (isProse(name, value)) kept.push(value);
  }
  return kept;
}

function isProse(name: string, value: string): boolean {
  if (!/\p{L}/u.test(value) || codeProps.has(name) || name.startsWith('data-') || name.startsWith('aria-'))
    return false;
  if (/^(https?:|mailto:|\/|\.\.?\/|#)/.test(value)) return false;
  return proseProps.has(name) || /\s/.test(value);
}

function dropModuleSyntax(text: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    if (depth > 0 || esmStartRe.test(line)) {
      depth = Math.max(0, depth + balance(line));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Open minus closed brackets of a line: a statement continues while some are open. */
function balance(line: string): number {
  const opened = line.match(/[{[(]/g)?.length ?? 0;
  const closed = line.match(/[}\])]/g)?.length ?? 0;
  return opened - closed;
}
