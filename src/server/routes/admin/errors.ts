import { createRoute, z } from '@hono/zod-openapi';
import type { TrackedError } from '../../../db/schema/index.ts';
import { listErrors, resolveError } from '../../../ops/errors.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { IdParam, iso, jsonResponse } from './common.ts';

const tags = ['Admin: errors'];

const ErrorView = z
  .object({
    id: z.string(),
    fingerprint: z.string(),
    message: z.string(),
    stack: z.string().nullable(),
    count: z.number(),
    status: z.string(),
    sampleRequestId: z.string().nullable(),
    context: z.record(z.string(), z.unknown()),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('TrackedError');

const view = (e: TrackedError) => ({
  ...e,
  firstSeen: iso(e.firstSeen),
  lastSeen: iso(e.lastSeen),
  resolvedAt: iso(e.resolvedAt),
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/errors',
  tags,
  summary: 'Errors grouped by fingerprint, most recent first',
  request: {
    query: z.object({
      status: z.enum(['open', 'resolved']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: jsonResponse(z.object({ errors: z.array(ErrorView) })),
});

const resolve = createRoute({
  method: 'post',
  path: '/api/admin/errors/{id}/resolve',
  tags,
  summary: 'Mark an error resolved (it reopens if it happens again)',
  request: { params: IdParam },
  responses: jsonResponse(ErrorView),
});

export function registerAdminErrors(app: App): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const rows = await listErrors(c.get('services').db, q);
    return c.json({ errors: rows.map(view) }, 200);
  });
  app.openapi(resolve, async (c) => {
    const row = await resolveError(c.get('services').db, c.req.valid('param').id);
    if (!row) throw notFound('Error');
    return c.json(view(row), 200);
  });
}
