import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { App } from '../../app.ts';
import { requireStaff, staffCookie, verifyStaffToken } from '../../auth.ts';
import { ApiError, errorResponses } from '../../errors.ts';
import { clientIp, type RateLimiter } from '../../rate-limit.ts';

const Me = z.object({ name: z.string() }).openapi('Staff');

const login = createRoute({
  method: 'post',
  path: '/api/admin/session',
  tags: ['Admin: session'],
  summary: 'Console sign-in with a staff token; sets an HttpOnly session cookie',
  request: {
    body: {
      content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(200) }) } },
      required: true,
    },
  },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: Me } } },
    ...errorResponses,
  },
});

const me = createRoute({
  method: 'get',
  path: '/api/admin/session',
  tags: ['Admin: session'],
  summary: 'Who is signed in',
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: Me } } },
    ...errorResponses,
  },
});

const logout = createRoute({
  method: 'delete',
  path: '/api/admin/session',
  tags: ['Admin: session'],
  summary: 'Sign out of the console',
  middleware: [requireStaff] as const,
  responses: {
    200: {
      description: 'Signed out',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

/** Whether the console is reached over HTTPS, directly or through a trusted TLS-terminating proxy. */
function isHttps(c: Parameters<typeof clientIp>[0]): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return (
    c.get('services').config.trustProxy &&
    c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

// Guessing tokens is hopeless (192 random bits), but failed sign-ins are still limited per address.
const loginAttemptsPerMinute = 10;

export function registerAdminSession(app: App, limiter: RateLimiter): void {
  app.openapi(login, async (c) => {
    const { db, config } = c.get('services');
    const wait = limiter.hit(`login:${clientIp(c)}`, loginAttemptsPerMinute);
    if (wait > 0) throw new ApiError('rate_limited', `Too many sign-in attempts; try again in ${wait} s.`);
    const { token } = c.req.valid('json');
    const staff = await verifyStaffToken(db, config.adminToken, token);
    if (!staff) throw new ApiError('unauthorized', 'That token is not valid.');
    setCookie(c, staffCookie, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      path: '/',
      maxAge: 12 * 3600,
    });
    return c.json({ name: staff.name }, 200);
  });
  app.openapi(me, (c) => c.json({ name: c.get('staff').name }, 200));
  app.openapi(logout, (c) => {
    deleteCookie(c, staffCookie, { path: '/' });
    return c.json({ ok: true as const }, 200);
  });
}
