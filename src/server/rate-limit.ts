import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';

/**
 * Fixed one-minute windows counted in memory, per key. Each server replica counts on its own, so with N
 * replicas behind a balancer the effective limit is up to N times the setting.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request for `key`; returns seconds to wait when over `limit`, else 0. */
  hit(key: string, limit: number): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 50_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count > limit ? this.secondsLeft(w, now) : 0;
  }

  /** Seconds to wait when `key` has already reached `limit` in this window, else 0; counts nothing. */
  wait(key: string, limit: number): number {
    const now = this.now();
    const w = this.windows.get(key);
    return w && now - w.start < 60_000 && w.count >= limit ? this.secondsLeft(w, now) : 0;
  }

  private secondsLeft(w: { start: number }, now: number): number {
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }
}

/**
 * The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For entry, the one the
 * proxy itself appended (earlier entries come from the client and can be forged).
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.get('services').config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
}

function rateLimited(wait: number, what = 'requests'): ApiError {
  return new ApiError('rate_limited', `Too many ${what}; try again in ${wait} s.`, {
    'retry-after': String(wait),
  });
}

/** Limits chat requests per client IP; runs before the identity is checked, so bad signatures count too. */
export function limitPerIp(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const wait = limiter.hit(`ip:${clientIp(c)}`, c.get('services').config.rateLimit.perIp);
    if (wait > 0) throw rateLimited(wait);
    await next();
  };
}

/** Limits chat requests per signed-in customer; runs once the identity is known (`identity` is set). */
export function limitPerCustomer(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.get('identity');
    if (identity?.kind === 'customer') {
      const wait = limiter.hit(
        `customer:${identity.customerId}`,
        c.get('services').config.rateLimit.perCustomer,
      );
      if (wait > 0) throw rateLimited(wait);
    }
    await next();
  };
}

// Guessing a token is hopeless (192 random bits), but failed attempts are still limited per address, on every
// route that takes a staff or metrics token, so no route is an unthrottled oracle.
const failedCredentialsPerMinute = 10;

/** Failed staff (or metrics) token attempts per client IP; past the limit every attempt is refused with 429. */
export class CredentialThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limit = failedCredentialsPerMinute,
  ) {}

  /** Throws 429 when this client has failed too often in the last minute. */
  check(c: Context<AppEnv>): void {
    const wait = this.limiter.wait(this.key(c), this.limit);
    if (wait > 0) throw rateLimited(wait, 'failed sign-in attempts');
  }

  /** Counts one failed attempt by this client. */
  fail(c: Context<AppEnv>): void {
    this.limiter.hit(this.key(c), Number.MAX_SAFE_INTEGER);
  }

  private key(c: Context<AppEnv>): string {
    return `credential-failures:${clientIp(c)}`;
  }
}
