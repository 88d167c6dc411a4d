import { describe, expect, it } from 'vitest';
import { extractHtml } from './html.ts';
import { limitNesting } from './html-depth.ts';

describe('hostile HTML', () => {
  it('extracts 200,000 nested elements without overflowing the stack, in linear time', () => {
    const depth = 200_000;
    const html =
      '<html><body><h1>Deep</h1>' +
      '<div><span>'.repeat(depth / 2) +
      'the deepest text' +
      '</span></div>'.repeat(depth / 2) +
      '<p>after the nest</p></body></html>';
    const started = performance.now();
    const doc = extractHtml(html, 'Deep');
    // The parser took close to a minute at this depth and the extractor then overflowed; now about 0.5 s.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Deep' },
      { type: 'text', text: 'the deepest text' },
      { type: 'text', text: 'after the nest' },
    ]);
  });

  it('leaves ordinary pages untouched and keeps the text of elements past the depth limit', () => {
    const page = '<div><p>one<p>two<ul><li>a<li>b</ul></div><script>if (a<b) "</div>"</script>';
    expect(limitNesting(page, 4)).toBe(page);
    const deep = '<div>'.repeat(5) + 'text' + '</div>'.repeat(5);
    expect(limitNesting(deep, 3)).toBe('<div><div><div>text</div></div></div>');
    // Unclosed list items close each other, so a long list is not mistaken for a deep one.
    const list = `<ul>${'<li>item'.repeat(1000)}</ul>`;
    expect(limitNesting(list, 8)).toBe(list);
  });
});
