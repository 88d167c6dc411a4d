import crypto from 'node:crypto';
import { visitorIdPattern } from '../contracts/limits.ts';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../db/client.ts';
import { customers, staffTokens } from '../db/schema/index.ts';
import { linkVisitorToCustomer } from '../support/conversations.ts';
import { type Identity, newVisitorId } from '../support/identity.ts';
import type { AppEnv, Staff } from './context.ts';
import { ApiError } from './errors.ts';

export const staffCookie = 'parley_staff';
export const visitorHeader = 'x-parley-visitor';
export const customerHeader = 'x-parley-customer';
export const signatureHeader = 'x-parley-signature';

const visitorPattern = visitorIdPattern;

/** The signature a host site sends with a customer id: hex HMAC-SHA256 of the id under the identity secret. */
export function signCustomerId(secret: string, customerId: string): string {
  return crypto.createHmac('sha256', secret).update(customerId).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A customer JWT's subject, if the token is an HS256 JWT signed with `secret` and not expired. */
export function verifyCustomerJwt(secret: string, token: string, now = Date.now()): string {
  const parts = token.split('.');
  if (parts.length !== 3) throw new ApiError('invalid_identity', 'The customer token is not a JWT.');
  const [header, payload, signature] = parts as [string, string, string];
  let head: { alg?: string };
  let claims: { sub?: unknown; exp?: unknown; nbf?: unknown };
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof head;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw new ApiError('invalid_identity', 'The customer token cannot be decoded.');
  }
  if (head.alg !== 'HS256') throw new ApiError('invalid_identity', 'Customer tokens must use HS256.');
  const expected = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  if (!safeEqual(expected, signature)) {
    throw new ApiError('invalid_identity', 'The customer token signature does not match.');
  }
  if (typeof claims.exp !== 'number')
    throw new ApiError('invalid_identity', 'The customer token has no exp.');
  if (claims.exp * 1000 < now) throw new ApiError('invalid_identity', 'The customer token has expired.');
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > now + 60_000) {
    throw new ApiError('invalid_identity', 'The customer token is not valid yet.');
  }
  if (typeof claims.sub !== 'string' || !claims.sub) {
    throw new ApiError('invalid_identity', 'The customer token has no subject.');
  }
  return claims.sub;
}

/** Signs a customer JWT (for tests and for host sites written in Node). */
export function signCustomerJwt(secret: string, customerId: string, ttlSeconds = 3600): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: customerId, exp: Math.floor(Date.now() / 1000) + ttlSeconds })}`;
  return `${body}.${crypto.createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The subject of a JWT signed with any of `secrets` (the current one first); the first failure otherwise. */
function verifyWithAny(secrets: string[], token: string): string {
  let failure: unknown;
  for (const secret of secrets) {
    try {
      return verifyCustomerJwt(secret, token);
    } catch (error) {
      failure ??= error;
    }
  }
  throw failure;
}

async function customerIdentity(db: Db, externalId: string): Promise<Identity> {
  const [row] = await db
    .select({ id: customers.id, externalId: customers.externalId, name: customers.name })
    .from(customers)
    .where(eq(customers.externalId, externalId));
  if (!row) throw new ApiError('unknown_customer', 'The signed customer id is not a known customer.');
  return { kind: 'customer', customerId: row.id, externalId: row.externalId, name: row.name };
}

function bearer(c: Context<AppEnv>): string | undefined {
  const value = c.req.header('authorization');
  return value?.toLowerCase().startsWith('bearer ') ? value.slice(7).trim() : undefined;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Who is chatting: a customer whose id the host site signed (`X-Parley-Customer` + `X-Parley-Signature`, or a
 * JWT as the bearer token), else an anonymous visitor (`X-Parley-Visitor`, or a new one, returned in that
 * header). A signature that does not verify is an error, never a silent fall-back to anonymous.
 */
export async function resolveIdentity(c: Context<AppEnv>): Promise<Identity> {
  const { db, config } = c.get('services');
  const customerId = c.req.header(customerHeader);
  const token = bearer(c);
  const signed = customerId !== undefined || (token !== undefined && looksLikeJwt(token));
  if (signed) {
    const secret = config.identitySecret;
    if (!secret) {
      throw new ApiError(
        'identity_not_configured',
        'Signed customer identities need PARLEY_IDENTITY_SECRET.',
      );
    }
    // During a rotation the previous secret still verifies, so pages signed just before keep working.
    const secrets = [secret, ...(config.previousIdentitySecret ? [config.previousIdentitySecret] : [])];
    if (customerId !== undefined) {
      const signature = (c.req.header(signatureHeader) ?? '').toLowerCase();
      if (!secrets.some((s) => safeEqual(signCustomerId(s, customerId), signature))) {
        throw new ApiError('invalid_identity', 'The customer signature does not match.');
      }
      return customerIdentity(db, customerId);
    }
    return customerIdentity(db, verifyWithAny(secrets, token!));
  }
  const visitor = c.req.header(visitorHeader);
  if (visitor !== undefined && !visitorPattern.test(visitor)) {
    throw new ApiError('invalid_request', 'Malformed visitor id.');
  }
  const visitorId = visitor ?? newVisitorId();
  c.header(visitorHeader, visitorId);
  return { kind: 'visitor', visitorId };
}

/**
 * Sets the caller's identity for the customer-facing routes. A signed-in customer who also sends the visitor
 * id they chatted under anonymously takes those conversations over.
 */
export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  const identity = await resolveIdentity(c);
  const visitor = c.req.header(visitorHeader);
  if (identity.kind === 'customer' && visitor && visitorPattern.test(visitor)) {
    await linkVisitorToCustomer(c.get('services').db, visitor, identity.customerId);
  }
  c.set('identity', identity);
  await next();
};

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Creates a staff API token; the token is returned once and only its hash is kept. */
export async function createStaffToken(db: Db, name: string): Promise<{ id: string; token: string }> {
  const token = `ptk_${crypto.randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(staffTokens)
    .values({ name, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
    .returning({ id: staffTokens.id });
  return { id: row!.id, token };
}

/** The staff member a token belongs to, if it is the configured admin token or a live created one. */
export async function verifyStaffToken(
  db: Db,
  adminToken: string | undefined,
  token: string,
): Promise<Staff | undefined> {
  if (adminToken && safeEqual(hashToken(adminToken), hashToken(token)))
    return { tokenId: null, name: 'admin' };
  if (!token.startsWith('ptk_')) return undefined;
  const [row] = await db
    .update(staffTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(staffTokens.tokenHash, hashToken(token)), isNull(staffTokens.revokedAt)))
    .returning({ id: staffTokens.id, name: staffTokens.name });
  return row ? { tokenId: row.id, name: row.name } : undefined;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Staff only: a bearer token, or the console's session cookie. Cookie-authenticated writes must come from
 * this server's own pages (the Origin header, when sent, must match), so other sites cannot forge them.
 */
export const requireStaff: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, config } = c.get('services');
  const fromHeader = bearer(c);
  const fromCookie = fromHeader ? undefined : getCookie(c, staffCookie);
  const token = fromHeader ?? fromCookie;
  if (!token) throw new ApiError('unauthorized', 'Sign in with a staff token.');
  const staff = await verifyStaffToken(db, config.adminToken, token);
  if (!staff) throw new ApiError('unauthorized', 'The staff token is not valid.');
  if (fromCookie && unsafeMethods.has(c.req.method)) {
    const origin = c.req.header('origin');
    if (origin && hostOf(origin) !== new URL(c.req.url).host) {
      throw new ApiError('forbidden', 'Cross-site request refused.');
    }
  }
  c.set('staff', staff);
  await next();
};

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
