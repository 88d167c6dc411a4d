import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import { TrackedErrorList, TrackedErrorQuery, TrackedErrorView } from '../../../contracts/tracked-errors.ts';
import { listTrackedErrors, resolveTrackedError } from '../../../ops/error-tracking.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: errors'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/errors',
  tags,
  summary: 'Errors grouped by fingerprint, most recent first',
  request: { query: TrackedErrorQuery },
  responses: jsonResponse(TrackedErrorList),
});

const resolve = createRoute({
  method: 'post',
  path: '/api/admin/errors/{id}/resolve',
  tags,
  summary: 'Mark an error resolved (it reopens if it happens again)',
  request: { params: IdParam },
  responses: jsonResponse(TrackedErrorView),
});

/** Error tracking for staff: the grouped errors, and marking one resolved. */
export function registerAdminTrackedErrors(app: App): void {
  app.openapi(list, async (c) => {
    const errors = await listTrackedErrors(c.get('services').db, c.req.valid('query'));
    return c.json({ errors }, 200);
  });

  app.openapi(resolve, async (c) => {
    const error = await resolveTrackedError(c.get('services').db, c.req.valid('param').id);
    if (!error) throw notFound('Error');
    return c.json(error, 200);
  });
}
