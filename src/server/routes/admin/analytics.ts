import { createRoute } from '@hono/zod-openapi';
import { Analytics, AnalyticsQuery } from '../../../contracts/analytics.ts';
import { analytics } from '../../../support/analytics.ts';
import type { App } from '../../app.ts';
import { jsonResponse } from '../openapi-io.ts';

const route = createRoute({
  method: 'get',
  path: '/api/admin/analytics',
  tags: ['Admin: analytics'],
  summary: 'Dashboard figures: volume, resolution, escalation, satisfaction, latency, cost, questions, gaps',
  request: { query: AnalyticsQuery },
  responses: jsonResponse(Analytics),
});

/** `GET /api/admin/analytics`: the dashboard's figures. */
export function registerAdminAnalytics(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await analytics(c.get('services').db, c.req.valid('query').days), 200),
  );
}
