import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { Ok } from '../../../contracts/primitives.ts';
import { SignInInput, StaffView } from '../../../contracts/session.ts';
import type { AppEnv } from '../../app-env.ts';
import type { App } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { staffCookie, type StaffAuth } from '../../staff-auth.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: session'];

const login = createRoute({
  method: 'post',
  path: '/api/admin/session',
  tags,
  summary: 'Console sign-in with a staff token; sets an HttpOnly session cookie',
  request: { body: jsonBody(SignInInput) },
  responses: jsonResponse(StaffView, 'Signed in'),
});

const me = createRoute({
  method: 'get',
  path: '/api/admin/session',
  tags,
  summary: 'Who is signed in',
  responses: jsonResponse(StaffView, 'Signed in'),
});

const logout = createRoute({
  method: 'delete',
  path: '/api/admin/session',
  tags,
  summary: 'Sign out of the console',
  responses: jsonResponse(Ok, 'Signed out'),
});

/** Whether the console is reached over HTTPS, directly or through a trusted TLS-terminating proxy. */
function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return (
    c.get('services').config.trustProxy &&
    c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

/**
 * Console sign-in, who is signed in, and sign-out. Failed sign-ins are throttled per address by `staffAuth`,
 * together with failed tokens on every other staff route.
 */
export function registerAdminSession(app: App, staffAuth: StaffAuth): void {
  app.openapi(login, async (c) => {
    const { token } = c.req.valid('json');
    const staff = await staffAuth.verify(c, token);
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
