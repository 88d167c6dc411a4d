import { createRoute, z } from '@hono/zod-openapi';
import { findPassage, type Passage } from '../../knowledge/passages.ts';
import type { App } from '../app.ts';
import { escapeHtml, page } from '../html.ts';

const route = createRoute({
  method: 'get',
  path: '/sources/{chunkId}',
  tags: ['Chat'],
  summary: 'A cited passage in its document (HTML), where citations of ingested files link',
  request: { params: z.object({ chunkId: z.string().uuid() }) },
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    404: { description: 'No such passage', content: { 'text/html': { schema: z.string() } } },
  },
});

function passagePage(passage: Passage): string {
  const outdated = passage.current
    ? ''
    : '<p class="meta">This passage is from an earlier version of the document; the document has changed since.</p>';
  const file = passage.source.split(/[\\/]/).pop() ?? '';
  const body = `<h1>${escapeHtml(passage.title)}</h1>
<p class="meta">${escapeHtml(passage.heading)} · version ${passage.version} · ${escapeHtml(file)}</p>
${outdated}
<h2>Cited passage</h2>
<div class="passage"><pre>${escapeHtml(passage.text)}</pre></div>
${
  passage.context.whole
    ? '<h2>Whole document</h2>'
    : '<h2>Around the passage</h2>\n<p class="meta">The document is too long to show in full here.</p>'
}
<pre>${escapeHtml(passage.context.text)}</pre>`;
  return page(passage.title, body);
}

/** `GET /sources/{chunkId}`: the page a citation of an ingested file links to. */
export function registerPassages(app: App): void {
  app.openapi(route, async (c) => {
    const passage = await findPassage(c.get('services').db, c.req.valid('param').chunkId);
    if (!passage) return c.html(page('Not found', '<h1>This passage no longer exists.</h1>'), 404);
    return c.html(passagePage(passage), 200);
  });
}
