import { type Config, loadConfig } from '../../src/config.ts';
import { LocalEmbedder } from '../../src/knowledge/embed/index.ts';
import { silentLogger } from '../../src/ops/log.ts';
import { type App, createApp } from '../../src/server/app.ts';
import { signCustomerId, signCustomerJwt } from '../../src/server/auth.ts';
import { createStaffToken } from '../../src/support/staff-tokens.ts';
import type { Services } from '../../src/server/app-env.ts';
import { createServices } from '../../src/server/serve.ts';
import { agentDocs, seedAgentData } from './agent-fixture.ts';
import { type Backend, createTestDatabase, type TestDatabase } from './databases.ts';
import { testIngestSettings } from './files.ts';

export const identitySecret = 'test-identity-secret-0123456789';
export const adminToken = 'test-admin-token-0123456789';

export interface TestServer {
  app: App;
  services: Services;
  database: TestDatabase;
  config: Config;
  /** A staff token created in the database. */
  staffToken: string;
  /** Headers signing in as a customer by external id. */
  customer(externalId: string): Record<string, string>;
  customerJwt(externalId: string, ttlSeconds?: number): string;
  staff: Record<string, string>;
  /** A request as staff, with `body` sent as JSON (the way the console calls the admin API). */
  staffCall(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /**
   * One chat message as `useChat` sends it, from the caller `headers` name (anonymous without), in
   * `conversationId` when given; to `app` (another replica) instead of this server's when given.
   */
  chat(
    text: string,
    options?: { conversationId?: string; headers?: Record<string, string>; app?: App },
  ): Promise<Response>;
  destroy(): Promise<void>;
}

/**
 * The whole app over a fresh database holding the demo customers, products and orders and a few documents,
 * with the offline answer model (no OpenAI key) unless `env` configures one.
 */
export async function createTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  options: { webDir?: string; services?: Partial<Services> } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(backend);
  await seedAgentData(database, agentDocs);
  const config = loadConfig(
    {},
    {
      PARLEY_IDENTITY_SECRET: identitySecret,
      PARLEY_ADMIN_TOKEN: adminToken,
      PARLEY_WIDGET_ORIGINS: 'https://shop.example.com',
      PARLEY_RATE_LIMIT_IP: '1000',
      PARLEY_RATE_LIMIT_CUSTOMER: '1000',
      ...env,
    },
  );
  const services: Services = {
    ...(await createServices(config, database, new LocalEmbedder(), silentLogger)),
    ingest: testIngestSettings,
    ...options.services,
  };
  const app = createApp(services, { webDir: options.webDir });
  const { token } = await createStaffToken(database.db, 'tests');
  const staff = { authorization: `Bearer ${token}` };
  return {
    app,
    services,
    database,
    config,
    staffToken: token,
    customer: (externalId) => ({
      'x-parley-customer': externalId,
      'x-parley-signature': signCustomerId(identitySecret, externalId),
    }),
    customerJwt: (externalId, ttl) => signCustomerJwt(identitySecret, externalId, ttl),
    staff,
    staffCall: async (method, path, body, headers = {}) =>
      app.request(path, {
        method,
        headers: { ...json, ...staff, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    chat: async (text, { conversationId, headers = {}, app: to = app } = {}) =>
      to.request('/api/chat', {
        method: 'POST',
        headers: { ...json, ...headers },
        body: chatBody(text, conversationId),
      }),
    destroy: () => database.destroy(),
  };
}

/** Reads an AI SDK UI message stream (SSE) into its chunks. */
export async function readUIStream(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.replace(/^data: /, '').trim())
    .filter((data) => data && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

/** A `useChat` request body with one user message. */
export function chatBody(text: string, id?: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    ...(id ? { id } : {}),
    messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text }] }],
    trigger: 'submit-message',
    ...extra,
  });
}

export const json = { 'content-type': 'application/json' };
