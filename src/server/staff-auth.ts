import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../db/client.ts';
import { authenticateStaffToken, staffTokenPrefix } from '../support/staff-tokens.ts';
import type { AppEnv, Staff } from './app-env.ts';
import { ApiError } from './errors.ts';
import { safeEqual } from './identity-tokens.ts';
import type { CredentialThrottle } from './rate-limit.ts';

export const staffCookie = 'parley_staff';

/** The bearer token of a request, if it sends one. */
export function bearerToken(c: Context<AppEnv>): string | undefined {
  const value = c.req.header('authorization');
  return value && /^bearer\s/i.test(value) ? value.slice(7).trim() : undefined;
}

/** Whether `token` is the configured admin token (compared in constant time). */
export function isAdminToken(adminToken: string | undefined, token: string): boolean {
  return Boolean(adminToken) && safeEqual(adminToken!, token);
}

/** Whether a token is meant as a staff token: a created one (`ptk_`) or the configured admin token. */
export function looksLikeStaffToken(adminToken: string | undefined, token: string): boolean {
  return token.startsWith(staffTokenPrefix) || isAdminToken(adminToken, token);
}

/** The staff member a token belongs to, if it is the configured admin token or a live created one. */
export async function verifyStaffToken(
  db: Db,
  adminToken: string | undefined,
  token: string,
): Promise<Staff | undefined> {
  if (isAdminToken(adminToken, token)) return { tokenId: null, name: 'admin' };
  if (!token.startsWith(staffTokenPrefix)) return undefined;
  const row = await authenticateStaffToken(db, token);
  return row ? { tokenId: row.id, name: row.name } : undefined;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Staff authentication with failed attempts throttled per client IP, the same on every route that takes a
 * staff token (admin API, console sign-in, `/v1` acting for a customer, `/metrics`, `/openapi.json`).
 */
export class StaffAuth {
  constructor(readonly throttle: CredentialThrottle) {}

  /** The staff member `token` belongs to; a wrong token counts as a failed attempt. */
  async verify(c: Context<AppEnv>, token: string): Promise<Staff | undefined> {
    this.throttle.check(c);
    const { db, config } = c.get('services');
    const staff = await verifyStaffToken(db, config.adminToken, token);
    if (!staff) this.throttle.fail(c);
    return staff;
  }

  /** The caller as staff (bearer token, else the console cookie), or undefined; never throws but for 429. */
  async optional(c: Context<AppEnv>): Promise<Staff | undefined> {
    const token = bearerToken(c) ?? getCookie(c, staffCookie);
    return token ? this.verify(c, token) : undefined;
  }

  /**
   * Staff only: a bearer token, or the console's session cookie. Cookie-authenticated writes must come from
   * this server's own pages (the Origin header, when sent, must match), so other sites cannot forge them.
   */
  readonly require: MiddlewareHandler<AppEnv> = async (c, next) => {
    const fromHeader = bearerToken(c);
    const fromCookie = fromHeader ? undefined : getCookie(c, staffCookie);
    const token = fromHeader ?? fromCookie;
    if (!token) throw new ApiError('unauthorized', 'Sign in with a staff token.');
    const staff = await this.verify(c, token);
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
}
