import { z } from '@hono/zod-openapi';

export const Liveness = z.object({ status: z.literal('ok') }).openapi('Liveness');
export type Liveness = z.infer<typeof Liveness>;

/** Whether this process can serve: the database answers and no migration is pending. */
export const Readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    database: z.string(),
    pendingMigrations: z.array(z.string()),
    version: z.string(),
  })
  .openapi('Readiness');
export type Readiness = z.infer<typeof Readiness>;
