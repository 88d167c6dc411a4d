import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { App } from '../app.ts';
import { escapeHtml, page } from '../html.ts';
import type { StaffAuth } from '../staff-auth.ts';

const info = {
  title: 'Parley API',
  description:
    'Parley, a self-hostable AI customer-support agent. Errors are `{code, message, requestId}` ' +
    '(`{error: {message, type, code}}` on the OpenAI-compatible `/v1` routes). ' +
    'Staff routes (`/api/admin/...`) take `Authorization: Bearer <staff token>` or the console session cookie.',
};

type Operation = { summary?: string; description?: string; tags?: string[] };

// The admin API is described only to staff: the public document lists what customers and integrators may call.
const staffOnly = (path: string) => path.startsWith('/api/admin');

/** `GET /openapi.json`, generated from the route schemas, and `GET /docs`, a readable page of it. */
export function registerDocs(app: App, staffAuth: StaffAuth): void {
  const document = async (c: Context<AppEnv>) => {
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { ...info, version: '1' } });
    const staff = await staffAuth.optional(c);
    if (!staff) {
      doc.paths = Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([path]) => !staffOnly(path)));
    }
    return doc;
  };
  app.get('/openapi.json', async (c) => {
    const doc = await document(c);
    doc.info.version = c.get('services').version;
    doc.components = {
      ...doc.components,
      securitySchemes: { staffToken: { type: 'http', scheme: 'bearer' } },
    };
    return c.json(doc);
  });
  app.get('/docs', async (c) => {
    const doc = await document(c);
    const sections = new Map<string, string[]>();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
        const tag = op.tags?.[0] ?? 'Other';
        const row = `<tr><td><span class="method">${method}</span></td><td><code>${escapeHtml(path)}</code></td>
<td>${escapeHtml(op.summary ?? '')}${op.description ? `<br><span class="meta">${escapeHtml(op.description)}</span>` : ''}</td></tr>`;
        sections.set(tag, [...(sections.get(tag) ?? []), row]);
      }
    }
    const body = `<h1>${info.title}</h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${[...sections]
  .map(([tag, rows]) => `<h2>${escapeHtml(tag)}</h2><table>${rows.join('\n')}</table>`)
  .join('\n')}`;
    return c.html(page('Parley API', body));
  });
}
