import { createRoute } from '@hono/zod-openapi';
import { currentChatModel } from '../../../agent/models/index.ts';
import { CompanyProfile, Settings } from '../../../contracts/settings.ts';
import { readEmbeddingSpace } from '../../../knowledge/embedding-space.ts';
import { companyProfile, saveCompanyProfile } from '../../../support/company-profile.ts';
import type { App } from '../../app.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: settings'];

const get = createRoute({
  method: 'get',
  path: '/api/admin/settings',
  tags,
  summary: 'Company profile (editable) and how this server runs (read-only)',
  responses: jsonResponse(Settings),
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/settings/company',
  tags,
  summary: "Update the company profile and tone the agent's instructions are built from",
  request: { body: jsonBody(CompanyProfile) },
  responses: jsonResponse(CompanyProfile),
});

export function registerAdminSettings(app: App): void {
  app.openapi(get, async (c) => {
    const { db, agent, embedder, backend, version, config } = c.get('services');
    const [company, space, chat] = await Promise.all([
      companyProfile(db),
      readEmbeddingSpace(db),
      currentChatModel(agent.chat),
    ]);
    return c.json(
      {
        company,
        runtime: {
          model: chat.id,
          offline: chat.offline,
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
  app.openapi(put, async (c) =>
    c.json(await saveCompanyProfile(c.get('services').db, c.req.valid('json')), 200),
  );
}
