import { createRoute } from '@hono/zod-openapi';
import { SaveSynonyms, Synonyms } from '../../../contracts/synonyms.ts';
import { readSynonyms, saveSynonyms } from '../../../knowledge/synonyms/store.ts';
import type { App } from '../../app.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: synonyms'];

const get = createRoute({
  method: 'get',
  path: '/api/admin/synonyms',
  tags,
  summary: "The company's own synonyms, which knowledge search treats as the same words",
  responses: jsonResponse(Synonyms),
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/synonyms',
  tags,
  summary: 'Replace the synonym groups (each group: wordings customers and the documents use for one thing)',
  request: { body: jsonBody(SaveSynonyms) },
  responses: jsonResponse(Synonyms),
});

/** Staff-edited synonyms: read them, and replace them as a whole. */
export function registerAdminSynonyms(app: App): void {
  app.openapi(get, async (c) => c.json(await readSynonyms(c.get('services').db), 200));
  app.openapi(put, async (c) =>
    c.json(await saveSynonyms(c.get('services').db, c.req.valid('json').groups), 200),
  );
}
