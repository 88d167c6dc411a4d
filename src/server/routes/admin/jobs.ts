import { createRoute } from '@hono/zod-openapi';
import { JobStatus, JobStatusQuery } from '../../../contracts/jobs.ts';
import { jobStatus } from '../../../jobs/status.ts';
import type { App } from '../../app.ts';
import { jsonResponse } from '../openapi-io.ts';

const route = createRoute({
  method: 'get',
  path: '/api/admin/jobs',
  tags: ['Admin: jobs'],
  summary: 'Background job queues: depth per state, oldest waiting job, recent failures',
  request: { query: JobStatusQuery },
  responses: jsonResponse(JobStatus),
});

/** `GET /api/admin/jobs`: queue depth and recent failures. */
export function registerAdminJobs(app: App): void {
  app.openapi(route, async (c) => {
    const status = await jobStatus(c.get('services').db, { failures: c.req.valid('query').failures });
    return c.json(status, 200);
  });
}
