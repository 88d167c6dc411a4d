import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { pendingMigrations } from '../../db/migrate.ts';
import type { App } from '../app.ts';

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Operations'],
  summary: 'Liveness: the process is up',
  responses: {
    200: {
      description: 'Up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.string(),
  pendingMigrations: z.array(z.string()),
  version: z.string(),
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Operations'],
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
    try {
      await db.execute(sql`SELECT 1`);
      const pending = await pendingMigrations(db);
      const body = { database: 'reachable', pendingMigrations: pending, version };
      return pending.length === 0
        ? c.json({ status: 'ready' as const, ...body }, 200)
        : c.json({ status: 'not_ready' as const, ...body }, 503);
    } catch {
      return c.json(
        { status: 'not_ready' as const, database: 'unreachable', pendingMigrations: [], version },
        503,
      );
    }
  });
}
