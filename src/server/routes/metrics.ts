import { createRoute, z } from '@hono/zod-openapi';
import { jobStatus } from '../../jobs/status.ts';
import { metrics, renderMetrics } from '../../ops/metrics.ts';
import type { App } from '../app.ts';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics: HTTP, agent turns, tools, tokens and cost, retrieval, jobs, errors, process',
  responses: {
    200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
  },
});

export function registerMetrics(app: App): void {
  app.openapi(route, async (c) => {
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
