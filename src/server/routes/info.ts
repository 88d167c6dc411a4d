import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../app.ts';
import { companyProfile } from '../../agent/prompt.ts';

const Info = z
  .object({
    company: z.string(),
    greeting: z.string(),
    model: z.string(),
    offline: z.boolean().openapi({ description: 'The offline answer model is answering (no OpenAI key)' }),
    version: z.string(),
  })
  .openapi('Info');

const route = createRoute({
  method: 'get',
  path: '/api/info',
  tags: ['Chat'],
  summary: 'What the chat page shows: company name, greeting, and which model answers',
  responses: { 200: { description: 'Info', content: { 'application/json': { schema: Info } } } },
});

export function registerInfo(app: App): void {
  app.openapi(route, async (c) => {
    const { db, agent, version } = c.get('services');
    const company = await companyProfile(db);
    return c.json(
      {
        company: company.name,
        greeting: `Hi! I'm the ${company.name} support assistant. Ask me about our products, your orders or your account.`,
        model: agent.chat.id,
        offline: agent.chat.offline,
        version,
      },
      200,
    );
  });
}
