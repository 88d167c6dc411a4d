import { z } from '@hono/zod-openapi';

// Contracts: the request and response shapes of the HTTP API, defined once. Services return these views, routes
// use them for validation and OpenAPI, and the web app imports the inferred types (type-only). Files here import
// nothing but zod and each other, so the browser bundle never reaches server code.

export const Ok = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof Ok>;

export const IdParam = z.object({ id: z.string().uuid() });

/** List queries: an optional text filter and a page. */
export const Paging = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type Paging = z.infer<typeof Paging>;

/** Timestamps travel as ISO 8601 strings. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
