import { createRoute } from '@hono/zod-openapi';
import { currentChatModel } from '../../agent/models/index.ts';
import { Info } from '../../contracts/chat.ts';
import { companyProfile } from '../../support/company-profile.ts';
import type { App } from '../app.ts';

const route = createRoute({
  method: 'get',
  path: '/api/info',
  tags: ['Chat'],
  summary: 'What the chat page shows: company name, greeting, and which model answers',
  responses: { 200: { description: 'Info', content: { 'application/json': { schema: Info } } } },
});

const greeting = (company: string) =>
  `Hi! I'm the ${company} support assistant. Ask me about our products, your orders or your account.`;

/** `GET /api/info`: what the chat page shows before the first message. */
export function registerInfo(app: App): void {
  app.openapi(route, async (c) => {
    const { db, agent, version } = c.get('services');
    const { name } = await companyProfile(db);
    const chat = await currentChatModel(agent.chat);
    const info: Info = {
      company: name,
      greeting: greeting(name),
      model: chat.id,
      offline: chat.offline,
      version,
    };
    return c.json(info, 200);
  });
}
