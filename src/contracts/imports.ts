import { z } from '@hono/zod-openapi';

export const importKinds = ['customers', 'products', 'orders'] as const;
export type ImportKind = (typeof importKinds)[number];

export const ImportKindParam = z.object({ kind: z.enum(importKinds) });

/** How many records one import added and how many it replaced. */
export const ImportResult = z
  .object({
    kind: z.enum(importKinds),
    inserted: z.number(),
    updated: z.number(),
  })
  .openapi('ImportResult');
export type ImportResult = z.infer<typeof ImportResult>;
