import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { page } from './html.ts';

// Browser-facing hardening on every response. The built pages (Vite output) load only same-origin module
// scripts and stylesheets, and React sets styles through the DOM, so no inline script is ever allowed; the
// server-rendered pages carry one fixed <style> block, allowed by its hash.

/** The CSP hash of the one inline <style> block server-rendered pages carry. */
function serverPageStyleHash(): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page('', ''))?.[1] ?? '';
  return `'sha256-${crypto.createHash('sha256').update(style).digest('base64')}'`;
}

/** The Content-Security-Policy, with the origins allowed to frame the page (none but the widget frame). */
export function contentSecurityPolicy(frameAncestors: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${serverPageStyleHash()}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** Paths the widget frames: the chat page it opens (`/chat?embed=1`). */
const framedPaths = new Set(['/chat']);

/**
 * Sets CSP, framing, MIME-sniffing and referrer headers. Only the widget's frame page may be framed, and only
 * by Parley itself and the configured widget origins; everything else refuses to be framed at all.
 */
export function securityHeaders(widgetOrigins: string[]): MiddlewareHandler<AppEnv> {
  const framed = contentSecurityPolicy(["'self'", ...widgetOrigins]);
  const unframed = contentSecurityPolicy([]);
  return async (c, next) => {
    await next();
    const frameable = framedPaths.has(c.req.path);
    c.header('content-security-policy', frameable ? framed : unframed);
    // X-Frame-Options cannot name several origins; browsers that know frame-ancestors ignore it anyway.
    if (!frameable) c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
  };
}
