import { createRoute, z } from '@hono/zod-openapi';
import { companyProfile, forgetCompanyProfile } from '../../../agent/prompt.ts';
import { settings } from '../../../db/schema/index.ts';
import { readEmbeddingSpace } from '../../../knowledge/embedding-space.ts';
import type { App } from '../../app.ts';
import { jsonBody, jsonResponse } from './common.ts';

const Company = z
  .object({
    name: z.string().min(1).max(200),
    tagline: z.string().max(500).optional(),
    tone: z.string().max(2000).optional(),
    supportHours: z.string().max(500).optional(),
    supportEmail: z.string().max(200).optional(),
    humanHandoff: z.string().max(2000).optional(),
  })
  // Profiles may carry more (links, regions, website, phone): kept as they are.
  .catchall(z.unknown())
  .openapi('CompanyProfile');

const Settings = z
  .object({
    company: Company,
    runtime: z.object({
      model: z.string(),
      offline: z.boolean(),
      embedder: z.string(),
      embeddingSpace: z.object({ model: z.string(), dimensions: z.number() }).nullable(),
      database: z.string(),
      version: z.string(),
      widgetOrigins: z.array(z.string()),
      identityVerification: z.boolean(),
    }),
  })
  .openapi('Settings');

const get = createRoute({
  method: 'get',
  path: '/api/admin/settings',
  tags: ['Admin: settings'],
  summary: 'Company profile (editable) and how this server runs (read-only)',
  responses: jsonResponse(Settings),
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/settings/company',
  tags: ['Admin: settings'],
  summary: "Update the company profile and tone the agent's instructions are built from",
  request: { body: jsonBody(Company) },
  responses: jsonResponse(Company),
});

export function registerAdminSettings(app: App): void {
  app.openapi(get, async (c) => {
    const { db, agent, embedder, backend, version, config } = c.get('services');
    const space = await readEmbeddingSpace(db);
    return c.json(
      {
        company: { ...(await companyProfile(db)) },
        runtime: {
          model: agent.chat.id,
          offline: agent.chat.offline,
          embedder: embedder.model,
          embeddingSpace: space ? { model: space.model, dimensions: space.dimensions } : null,
          database: backend,
          version,
          widgetOrigins: config.widgetOrigins,
          identityVerification: Boolean(config.identitySecret),
        },
      },
      200,
    );
  });
  app.openapi(put, async (c) => {
    const { db } = c.get('services');
    const company = c.req.valid('json');
    await db
      .insert(settings)
      .values({ key: 'company', value: company })
      .onConflictDoUpdate({ target: settings.key, set: { value: company, updatedAt: new Date() } });
    forgetCompanyProfile(db);
    return c.json(company, 200);
  });
}
