import crypto from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { ApiError } from './errors.ts';

// The signatures Parley checks for the identity of customers and anonymous visitors. Each use of the identity
// secret gets its own key: a MAC made for one purpose must never verify for another. The customer-id HMAC keeps
// the raw secret because host pages already sign with it (README); the JWT and visitor-token keys are derived.

/** The signature a host site sends with a customer id: hex HMAC-SHA256 of the id under the identity secret. */
export function signCustomerId(secret: string, customerId: string): string {
  return crypto.createHmac('sha256', secret).update(customerId).digest('hex');
}

/** Constant-time string comparison; hashing first makes inputs of any length comparable. */
export function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'parley', purpose, 32));
}

/**
 * The HS256 key for customer JWTs: HKDF-SHA256 of the identity secret (salt `parley`, info
 * `parley customer jwt v1`, 32 bytes). Without the derivation a customer id shaped like `<header>.<payload>`,
 * signed by the host page, would be a valid JWT for any subject.
 */
export function customerJwtKey(secret: string): Buffer {
  return derivedKey(secret, 'parley customer jwt v1');
}

/** Signs a customer JWT (for tests and for host sites written in Node). */
export function signCustomerJwt(secret: string, customerId: string, ttlSeconds = 3600): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = { sub: customerId, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  const signature = crypto.createHmac('sha256', customerJwtKey(secret)).update(body).digest('base64url');
  return `${body}.${signature}`;
}

function jwtFailure(error: unknown): ApiError {
  if (error instanceof joseErrors.JWTExpired) {
    return new ApiError('invalid_identity', 'The customer token has expired.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new ApiError('invalid_identity', `The customer token is not valid: ${error.message}`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new ApiError('invalid_identity', 'The customer token signature does not match.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new ApiError('invalid_identity', 'Customer tokens must use HS256.');
  }
  return new ApiError('invalid_identity', 'The customer token is not a valid JWT.');
}

/**
 * The subject of a customer JWT: HS256 under the key derived from one of `secrets` (the current one first),
 * with `sub` and `exp`. Anything else, malformed tokens included, is an `invalid_identity` error.
 */
export async function verifyCustomerJwt(secrets: string[], token: string): Promise<string> {
  let failure: ApiError | undefined;
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, customerJwtKey(secret), {
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 60,
      });
      if (typeof payload.sub === 'string' && payload.sub) return payload.sub;
      throw new ApiError('invalid_identity', 'The customer token has no subject.');
    } catch (error) {
      const reason = error instanceof ApiError ? error : jwtFailure(error);
      // Only a signature mismatch is worth trying the next secret for; report the first real problem.
      if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) throw reason;
      failure ??= reason;
    }
  }
  throw failure ?? new ApiError('invalid_identity', 'The customer token is not valid.');
}

/**
 * The proof that a visitor id was issued to the browser holding it: base64url HMAC-SHA256 of the id under a
 * key derived from the identity secret. Linking a visitor's conversations to a customer requires it.
 */
export function visitorToken(secret: string, visitorId: string): string {
  return crypto
    .createHmac('sha256', derivedKey(secret, 'parley visitor token v1'))
    .update(visitorId)
    .digest('base64url');
}

/** Whether `token` proves `visitorId` under any of `secrets`. */
export function verifyVisitorToken(secrets: string[], visitorId: string, token: string): boolean {
  return secrets.some((secret) => safeEqual(visitorToken(secret, visitorId), token));
}
