import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { jobStatus } from '../../jobs/status.ts';
import { metrics, renderMetrics } from '../../ops/metrics.ts';
import type { AppEnv } from '../app-env.ts';
import type { App } from '../app.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { safeEqual } from '../identity-tokens.ts';
import { bearerToken, type StaffAuth } from '../staff-auth.ts';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics: HTTP, agent turns, tools, tokens and cost, retrieval, jobs, errors, process',
  description: 'Send `Authorization: Bearer <PARLEY_METRICS_TOKEN>` (or a staff token).',
  responses: {
    200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
    401: errorResponses[401],
    429: errorResponses[429],
  },
});

/** Metrics reveal traffic, models and costs: only the metrics token or staff may read them. */
async function authorizeScrape(c: Context<AppEnv>, staffAuth: StaffAuth): Promise<void> {
  const { metricsToken } = c.get('services').config;
  const token = bearerToken(c);
  if (!token) throw new ApiError('unauthorized', 'Send the metrics token as a bearer token.');
  staffAuth.throttle.check(c);
  if (metricsToken && safeEqual(metricsToken, token)) return;
  if (!(await staffAuth.verify(c, token))) {
    throw new ApiError('unauthorized', 'The metrics token is not valid.');
  }
}

/** `GET /metrics` in the Prometheus text format, for the metrics token or staff. */
export function registerMetrics(app: App, staffAuth: StaffAuth): void {
  app.openapi(route, async (c) => {
    await authorizeScrape(c, staffAuth);
    const { db } = c.get('services');
    const { body, contentType } = await renderMetrics(async () => {
      const status = await jobStatus(db);
      metrics.jobs.reset();
      for (const queue of status.queues) {
        for (const [state, n] of Object.entries(queue.counts))
          metrics.jobs.set({ name: queue.name, state }, n);
      }
      metrics.jobFailures.set(status.recentFailures.length);
    });
    c.header('content-type', contentType);
    return c.text(body, 200);
  });
}
