import type { z } from '@hono/zod-openapi';
import { errorResponses } from '../errors.ts';

// OpenAPI building blocks every JSON route uses.

/** A 200 JSON response with `schema`, plus the shared error responses. */
export function jsonResponse<T extends z.ZodType>(schema: T, description = 'OK') {
  return { 200: { description, content: { 'application/json': { schema } } }, ...errorResponses };
}

/** A required JSON request body with `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}
