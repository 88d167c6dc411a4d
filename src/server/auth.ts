import type { Context, MiddlewareHandler } from 'hono';
import { visitorIdPattern } from '../contracts/limits.ts';
import type { ServerConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import { findCustomerByExternalId } from '../support/customers.ts';
import { type Identity, newVisitorId } from '../support/identity.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';
import { safeEqual, signCustomerId, verifyCustomerJwt, visitorToken } from './identity-tokens.ts';
import { bearerToken } from './staff-auth.ts';

export { signCustomerId, signCustomerJwt } from './identity-tokens.ts';
export { staffCookie, verifyStaffToken } from './staff-auth.ts';

export const visitorHeader = 'x-parley-visitor';
export const visitorTokenHeader = 'x-parley-visitor-token';
export const customerHeader = 'x-parley-customer';
export const signatureHeader = 'x-parley-signature';

/** The identity secrets that verify, the current one first (the previous one during a rotation). */
export function identitySecrets(config: ServerConfig): string[] {
  return [config.identitySecret, config.previousIdentitySecret].filter((s): s is string => Boolean(s));
}

function requireSecrets(config: ServerConfig): string[] {
  if (!config.identitySecret) {
    throw new ApiError('identity_not_configured', 'Signed customer identities need PARLEY_IDENTITY_SECRET.');
  }
  return identitySecrets(config);
}

async function customerIdentity(db: Db, externalId: string): Promise<Identity> {
  const row = await findCustomerByExternalId(db, externalId);
  if (!row) throw new ApiError('unknown_customer', 'The signed customer id is not a known customer.');
  return { kind: 'customer', customerId: row.id, externalId: row.externalId, name: row.name };
}

/**
 * A new anonymous visitor: a random id and, when an identity secret is configured, the token proving this
 * caller was given it (needed to link the visitor's conversations when they later sign in). Both are returned
 * in response headers.
 */
function newVisitor(c: Context<AppEnv>): Identity {
  const visitorId = newVisitorId();
  c.header(visitorHeader, visitorId);
  const secret = c.get('services').config.identitySecret;
  if (secret) c.header(visitorTokenHeader, visitorToken(secret, visitorId));
  return { kind: 'visitor', visitorId };
}

/**
 * Who is calling: a customer whose id the host site signed (`X-Parley-Customer` + `X-Parley-Signature`), or a
 * customer JWT given as `jwt`, else an anonymous visitor (`X-Parley-Visitor`, or a new one, returned in that
 * header). A signature or token that does not verify is an error, never a silent fall-back to anonymous.
 */
export async function resolveIdentity(c: Context<AppEnv>, jwt: string | undefined): Promise<Identity> {
  const { db, config } = c.get('services');
  const customerId = c.req.header(customerHeader);
  if (customerId !== undefined) {
    const signature = (c.req.header(signatureHeader) ?? '').toLowerCase();
    if (!requireSecrets(config).some((s) => safeEqual(signCustomerId(s, customerId), signature))) {
      throw new ApiError('invalid_identity', 'The customer signature does not match.');
    }
    return customerIdentity(db, customerId);
  }
  if (jwt !== undefined) return customerIdentity(db, await verifyCustomerJwt(requireSecrets(config), jwt));
  const visitor = c.req.header(visitorHeader);
  if (visitor === undefined) return newVisitor(c);
  if (!visitorIdPattern.test(visitor)) throw new ApiError('invalid_request', 'Malformed visitor id.');
  c.header(visitorHeader, visitor);
  return { kind: 'visitor', visitorId: visitor };
}

/**
 * Sets the caller's identity for the customer-facing routes. A bearer token here can only be a customer JWT,
 * so anything else sent as one is refused (401) rather than ignored. Nothing is linked here: a visitor's
 * conversations move to a customer only through `POST /api/session/link`.
 */
export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('identity', await resolveIdentity(c, bearerToken(c)));
  await next();
};
