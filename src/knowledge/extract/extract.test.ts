import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from './index.ts';
import { type Block } from './types.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/bad');
const text = (s: string) => new TextEncoder().encode(s);
const headings = (blocks: Block[]) =>
  blocks.filter((b) => b.type === 'heading').map((b) => `${b.level}:${b.text}`);
const body = (blocks: Block[]) =>
  blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('\n');

describe('extraction keeps structure', () => {
  it('Markdown: front matter, ATX and setext headings, lists, tables and code as text', async () => {
    const doc = await extractDocument({
      name: 'guide.md',
      bytes: text(`---
title: Hub guide
product: KE-HUB
---
Setting up
==========

Plug it in. See [the app](https://example.com/app) for **details**.

## Lights

| Light | Meaning |
|-------|---------|
| Blue  | Online  |

- first
- second

\`\`\`
reset --hard
\`\`\`
`),
    });
    expect(doc.title).toBe('Hub guide');
    expect(doc.metadata).toEqual({ title: 'Hub guide', product: 'KE-HUB' });
    expect(headings(doc.blocks)).toEqual(['1:Setting up', '2:Lights']);
    const all = body(doc.blocks);
    expect(all).toContain('See the app for details.');
    expect(all).toContain('| Blue | Online |');
    expect(all).not.toContain('|-------|');
    expect(all).toContain('- first\n- second');
    expect(all).toContain('reset --hard');
  });

  it('plain text: leading metadata lines, a title line and standalone short lines as headings', async () => {
    const doc = await extractDocument({
      name: 'notes.txt',
      bytes: text(
        'Source: https://example.com/x\n\nBattery care\n\nCharge before first use.\n\nStorage\n\nKeep it at half charge.\n',
      ),
    });
    expect(doc.metadata).toEqual({ source: 'https://example.com/x' });
    expect(doc.title).toBe('Battery care');
    expect(headings(doc.blocks)).toEqual(['1:Battery care', '2:Storage']);
  });

  it('HTML: drops scripts, navigation and footers; keeps headings, lists and tables; prefers <main>', async () => {
    const doc = await extractDocument({
      name: 'https://example.com/help/lights.html',
      bytes: text(`<!doctype html><html><head><title>Light codes</title><style>p{}</style></head><body>
        <header>Kestrel shop</header><nav><a href="/">Home</a></nav>
        <main><h1>Light codes</h1><p>What the ring light&nbsp;means.</p>
        <table><tr><th>Colour</th><th>Meaning</th></tr><tr><td>Red</td><td>No Wi-Fi</td></tr></table>
        <h2>Fixes</h2><ol><li>Restart the hub</li><li>Check the router<ul><li>2.4 GHz only</li></ul></li></ol>
        <script>track()</script></main><footer>© 2026</footer></body></html>`),
    });
    expect(doc.title).toBe('Light codes');
    expect(headings(doc.blocks)).toEqual(['1:Light codes', '2:Fixes']);
    const all = body(doc.blocks);
    expect(all).toContain('What the ring light means.');
    expect(all).toContain('| Colour | Meaning |\n| Red | No Wi-Fi |');
    expect(all).toContain('1. Restart the hub\n2. Check the router\n  - 2.4 GHz only');
    expect(all).not.toMatch(/Kestrel shop|Home|track\(\)|© 2026|p\{\}/);
  });

  it('PDF: text with headings detected from font size', async () => {
    const doc = await extractDocument({
      name: 'good-small.pdf',
      bytes: fs.readFileSync(path.join(fixtures, 'good-small.pdf')),
    });
    expect(doc.format).toBe('pdf');
    expect(body(doc.blocks) + headings(doc.blocks).join(' ')).toContain('Kestrel fixture page');
    expect(headings(doc.blocks).length).toBeGreaterThan(0);
  });

  it('DOCX: Word heading styles become headings', async () => {
    const doc = await extractDocument({
      name: 'good-small.docx',
      bytes: fs.readFileSync(path.join(fixtures, 'good-small.docx')),
    });
    expect(doc.format).toBe('docx');
    expect(headings(doc.blocks)).toContain('1:Fixture heading');
    expect(body(doc.blocks).length).toBeGreaterThan(0);
  });

  it('reads UTF-16 text with a byte-order mark', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Héllo wörld, returns are free.', 'utf16le'),
    ]);
    const doc = await extractDocument({ name: 'u16.txt', bytes });
    expect(body(doc.blocks)).toContain('Héllo wörld');
  });
});
