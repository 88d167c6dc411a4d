import { z } from '@hono/zod-openapi';
import { errorResponses } from '../../errors.ts';

/** A 200 JSON response with `schema`, plus the shared error responses. */
export function jsonResponse<T extends z.ZodType>(schema: T, description = 'OK') {
  return { 200: { description, content: { 'application/json': { schema } } }, ...errorResponses };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}

export const Ok = z.object({ ok: z.literal(true) });
export const IdParam = z.object({ id: z.string().uuid() });
export const Paging = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
