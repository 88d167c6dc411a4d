import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './context.ts';

/** An error meant for the caller: its code and message are returned as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found.`);

export const ErrorBody = z
  .object({
    code: z.string().openapi({ example: 'invalid_request' }),
    message: z.string(),
    requestId: z.string(),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorBody } };

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: { description: 'Invalid request', content: errorContent },
  401: { description: 'Not signed in, or a bad identity signature', content: errorContent },
  403: { description: 'Not allowed', content: errorContent },
  404: { description: 'Not found', content: errorContent },
  429: { description: 'Rate limited', content: errorContent },
  500: { description: 'Internal error', content: errorContent },
} as const;

export function errorJson(c: Context<AppEnv>, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ code, message, requestId: c.get('requestId') }, status);
}

/**
 * The one place errors become responses. Errors meant for the caller keep their code and message; anything
 * else is logged with the request id and answered with a generic 500 that leaks nothing.
 */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return errorJson(c, error.status, error.code, error.message);
  }
  // Hono's own errors (body limit, malformed JSON) carry a status.
  const status = (error as { status?: number }).status;
  if (status === 413) return errorJson(c, 413, 'payload_too_large', 'The request body is too large.');
  if (status && status >= 400 && status < 500) {
    return errorJson(c, status as ContentfulStatusCode, 'invalid_request', 'The request could not be read.');
  }
  c.get('services')?.log.error('request failed', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    error: error.message,
    stack: error.stack,
  });
  c.get('services')?.onError?.(error, c.get('requestId'));
  return errorJson(c, 500, 'internal_error', 'Something went wrong on our side.');
}

/** zod validation failures, reported with the first few problems and where they are. */
export function validationHook(
  result: { success: boolean; error?: z.ZodError },
  c: Context<AppEnv>,
): Response | undefined {
  if (result.success || !result.error) return undefined;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  return errorJson(c, 400, 'invalid_request', problems.join('; '));
}
