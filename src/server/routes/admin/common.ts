import type { z } from '@hono/zod-openapi';
import { errorResponses } from '../../errors.ts';

/** A 200 JSON response with `schema`, plus the shared error responses. */
export function jsonResponse<T extends z.ZodType>(schema: T, description = 'OK') {
  return { 200: { description, content: { 'application/json': { schema } } }, ...errorResponses };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}

export { iso, IdParam, Ok, Paging } from '../../../contracts/common.ts';
