import fs from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';
import type { App } from '../app.ts';
import type { AppEnv } from '../app-env.ts';
import { page } from '../html.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves the built web app: the chat page at `/`, the console at `/admin`, the widget at `/widget.js`. */
export function registerWeb(app: App, webDir: string | undefined): void {
  const send = async (c: Context<AppEnv>, file: string, cache: string) => {
    if (!webDir) {
      return c.html(
        page('Parley', '<h1>Parley</h1><p>The web app is not built. Run <code>npm run build:web</code>.</p>'),
        503,
      );
    }
    const root = path.resolve(webDir);
    const full = path.resolve(root, `.${path.posix.normalize(`/${file}`)}`);
    if (!full.startsWith(root + path.sep)) return c.notFound();
    try {
      const body = await fs.readFile(full);
      c.header('content-type', types[path.extname(full)] ?? 'application/octet-stream');
      c.header('cache-control', cache);
      return c.body(body);
    } catch {
      return c.notFound();
    }
  };
  // Hashed build assets never change; pages and the widget loader must pick up new builds.
  app.get('/assets/*', (c) => send(c, c.req.path, 'public, max-age=31536000, immutable'));
  app.get('/widget.js', (c) => {
    c.header('access-control-allow-origin', '*');
    return send(c, 'widget.js', 'public, max-age=300');
  });
  app.get('/favicon.svg', (c) => send(c, 'favicon.svg', 'public, max-age=86400'));
  app.get('/', (c) => send(c, 'index.html', 'no-cache'));
  app.get('/chat', (c) => send(c, 'index.html', 'no-cache'));
  app.get('/admin', (c) => send(c, 'admin.html', 'no-cache'));
  app.get('/admin/*', (c) => send(c, 'admin.html', 'no-cache'));
}
