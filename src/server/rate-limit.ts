import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './context.ts';
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
    return w.count > limit ? Math.ceil((w.start + 60_000 - now) / 1000) : 0;
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

/** Limits chat requests per client IP and, once the identity is known, per signed-in customer. */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { perIp, perCustomer } = c.get('services').config.rateLimit;
    const check = (key: string, limit: number) => {
      const wait = limiter.hit(key, limit);
      if (wait > 0) {
        throw new ApiError('rate_limited', `Too many requests; try again in ${wait} s.`, {
          'retry-after': String(wait),
        });
      }
    };
    check(`ip:${clientIp(c)}`, perIp);
    const identity = c.get('identity');
    if (identity?.kind === 'customer') check(`customer:${identity.customerId}`, perCustomer);
    await next();
  };
}
