import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { chunks, documents, documentVersions } from '../../db/schema/index.ts';
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

export function registerSources(app: App): void {
  app.openapi(route, async (c) => {
    const { db } = c.get('services');
    const [row] = await db
      .select({
        heading: chunks.heading,
        text: chunks.text,
        title: documents.title,
        source: documents.source,
        currentVersionId: documents.currentVersionId,
        versionId: documentVersions.id,
        version: documentVersions.version,
        documentText: documentVersions.text,
      })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .innerJoin(documentVersions, eq(documentVersions.id, chunks.versionId))
      .where(eq(chunks.id, c.req.valid('param').chunkId));
    if (!row) return c.html(page('Not found', '<h1>This passage no longer exists.</h1>'), 404);
    const outdated =
      row.currentVersionId !== row.versionId
        ? '<p class="meta">This passage is from an earlier version of the document; the document has changed since.</p>'
        : '';
    const body = `<h1>${escapeHtml(row.title)}</h1>
<p class="meta">${escapeHtml(row.heading)} · version ${row.version} · ${escapeHtml(row.source.split(/[\\/]/).pop() ?? '')}</p>
${outdated}
<h2>Cited passage</h2>
<div class="passage"><pre>${escapeHtml(row.text)}</pre></div>
<h2>Whole document</h2>
<pre>${escapeHtml(row.documentText)}</pre>`;
    return c.html(page(row.title, body), 200);
  });
}
