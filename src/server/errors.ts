import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { TurnInputError } from '../agent/agent.ts';
import { DocumentNotFound } from '../knowledge/versions.ts';
import { ExtractionError } from '../knowledge/extract/types.ts';
import { ImportError } from '../support/import.ts';
import type { AppEnv } from './app-env.ts';

/** Every error code the API answers with, and the status each one carries. The one place statuses are chosen. */
export const errorStatus = {
  invalid_request: 400,
  invalid_import: 400,
  invalid_document: 400,
  empty_message: 400,
  message_too_long: 400,
  unauthorized: 401,
  invalid_identity: 401,
  identity_not_configured: 401,
  unknown_customer: 401,
  forbidden: 403,
  not_found: 404,
  conversation_not_found: 404,
  customer_not_found: 404,
  model_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

/** An error meant for the caller: its code (which fixes the status) and message are returned as they are. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found.`);

export const ErrorBody = z
  .object({
    code: z
      .enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]])
      .openapi({ example: 'invalid_request' }),
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

/** OpenAI's error `type` for a status, so OpenAI clients classify Parley's errors as they would OpenAI's. */
function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** OpenAI's error body, which its client libraries read; the `/v1` routes answer with it. */
export const OpenAIErrorBody = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      code: z.string(),
      param: z.string().nullable(),
    }),
    requestId: z.string(),
  })
  .openapi('OpenAIError');

/**
 * An error response: `{code, message, requestId}`, except on the OpenAI-compatible `/v1` routes, whose callers
 * are OpenAI clients that only understand `{error: {message, type, code}}`.
 */
export function errorJson(c: Context<AppEnv>, code: ErrorCode, message: string) {
  const status = errorStatus[code];
  const requestId = c.get('requestId');
  if (c.req.path.startsWith('/v1/')) {
    const error = { message, type: openAIErrorType(status), code, param: null };
    return c.json({ error, requestId }, status);
  }
  return c.json({ code, message, requestId }, status);
}

/** Domain errors the services raise for expected failures, as API errors. `undefined` for anything else. */
export function apiErrorOf(error: Error): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof TurnInputError) {
    return new ApiError(error.code, error.message);
  }
  if (error instanceof DocumentNotFound) return new ApiError('not_found', error.message);
  if (error instanceof ImportError) return new ApiError('invalid_import', error.message);
  if (error instanceof ExtractionError) return new ApiError('invalid_document', error.message);
  return undefined;
}

/**
 * The one place errors become responses. Errors meant for the caller keep their code and message; anything
 * else is logged with the request id and answered with a generic 500 that leaks nothing.
 */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  const known = apiErrorOf(error);
  if (known) {
    for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
    return errorJson(c, known.code, known.message);
  }
  // Hono's own errors (body limit, malformed JSON) carry a status.
  const status = (error as { status?: number }).status;
  if (status === 413) return errorJson(c, 'payload_too_large', 'The request body is too large.');
  if (status && status >= 400 && status < 500) {
    return errorJson(c, 'invalid_request', 'The request could not be read.');
  }
  c.get('services')?.log.error('request failed', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    error: error.message,
    stack: error.stack,
  });
  c.get('services')?.onError?.(error, c.get('requestId'));
  return errorJson(c, 'internal_error', 'Something went wrong on our side.');
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
  return errorJson(c, 'invalid_request', problems.join('; '));
}
