import { createRoute, z } from '@hono/zod-openapi';
import { jobStatus } from '../../../jobs/status.ts';
import type { App } from '../../app.ts';
import { jsonResponse } from './common.ts';

const counts = z.record(z.string(), z.number());

const JobStatus = z
  .object({
    installed: z.boolean(),
    queues: z.array(z.object({ name: z.string(), counts, oldestWaitingSeconds: z.number().nullable() })),
    recentFailures: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        state: z.string(),
        retryCount: z.number(),
        retryLimit: z.number(),
        error: z.string(),
        subject: z.string().optional(),
        failedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('JobStatus');

const route = createRoute({
  method: 'get',
  path: '/api/admin/jobs',
  tags: ['Admin: jobs'],
  summary: 'Background job queues: depth per state, oldest waiting job, recent failures',
  request: { query: z.object({ failures: z.coerce.number().int().min(0).max(200).default(20) }) },
  responses: jsonResponse(JobStatus),
});

export function registerAdminJobs(app: App): void {
  app.openapi(route, async (c) => {
    const status = await jobStatus(c.get('services').db, { failures: c.req.valid('query').failures });
    return c.json(status as z.infer<typeof JobStatus>, 200);
  });
}
