import { createRoute } from '@hono/zod-openapi';
import { Liveness, Readiness } from '../../contracts/health.ts';
import { checkReadiness } from '../../ops/readiness.ts';
import type { App } from '../app.ts';

const tags = ['Operations'];

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags,
  summary: 'Liveness: the process is up',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: Liveness } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags,
  summary: 'Readiness: the database answers and every migration is applied',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Readiness } } },
  },
});

export function registerHealth(app: App): void {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyz, async (c) => {
    const { db, version } = c.get('services');
    const readiness = await checkReadiness(db, version);
    return readiness.status === 'ready' ? c.json(readiness, 200) : c.json(readiness, 503);
  });
}
