import type { MiddlewareHandler } from 'hono';
import { wellFormedJson } from '../contracts/well-formed.ts';
import type { AppEnv } from './app-env.ts';
import { errorJson } from './errors.ts';

const jsonType = /^application\/([\w.+-]*\+)?json\b/i;

/**
 * Makes every JSON request body storable before any route sees it: NUL characters are dropped and lone
 * surrogates replaced (contracts/well-formed.ts) in every string of the parsed body, and the route's
 * validator then reads the cleaned body. A NUL in the URL is refused outright. Without this, a `\u0000` in a
 * chat message failed the insert halfway through a turn (a 500 and an empty conversation), and a lone
 * surrogate lost the answer.
 */
export const sanitiseRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (/%00/.test(c.req.url)) {
    return errorJson(c, 'invalid_request', 'The address contains a NUL character.');
  }
  if (!jsonType.test(c.req.header('content-type') ?? '')) return next();
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Malformed JSON: the route's validator answers it as it always has.
    return next();
  }
  const cleaned = JSON.stringify(wellFormedJson(body));
  if (cleaned !== JSON.stringify(body)) {
    // Hono parses JSON bodies from the cached text: replacing it is what validators and handlers then read.
    c.req.bodyCache = { text: Promise.resolve(cleaned) } as unknown as typeof c.req.bodyCache;
  }
  return next();
};
