import { z } from '@hono/zod-openapi';

// Unexpected errors the server and workers recorded, grouped by fingerprint (error tracking). Not the API's
// own error responses, which are `ErrorBody` in src/server/errors.ts.

export const trackedErrorStatuses = ['open', 'resolved'] as const;

export const TrackedErrorQuery = z.object({
  status: z.enum(trackedErrorStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TrackedErrorQuery = z.infer<typeof TrackedErrorQuery>;

export const TrackedErrorView = z
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
export type TrackedErrorView = z.infer<typeof TrackedErrorView>;

export const TrackedErrorList = z.object({ errors: z.array(TrackedErrorView) });
export type TrackedErrorList = z.infer<typeof TrackedErrorList>;
