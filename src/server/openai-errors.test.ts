import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../test/support/server-fixture.ts';
import { type RunningServer, startServer } from './serve.ts';

// The official OpenAI client reads `{error: {message, type, code}}`; with Parley's own error shape it could only
// say "404 (no body)" (issue 11, item 17).
describe('errors from /v1 as the official openai client reports them', () => {
  let t: TestServer;
  let server: RunningServer;
  let client: OpenAI;
  beforeAll(async () => {
    t = await createTestServer('pglite');
    server = await startServer(t.services, { port: 0, host: '127.0.0.1' });
    client = new OpenAI({ apiKey: 'anonymous', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  it('carries the message, type and code of an unknown model', async () => {
    const failure = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(failure).toMatchObject({ status: 404, code: 'model_not_found', type: 'not_found_error' });
    expect((failure as Error).message).toMatch(/serves one model/);
    expect((failure as Error).message).not.toMatch(/no body/);
  });

  it('reports a validation failure and an unknown conversation the same way', async () => {
    const invalid = await client.chat.completions
      .create({ model: 'parley', messages: [] })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request', type: 'invalid_request_error' });
    const unknown = await client.chat.completions
      .create({
        model: 'parley',
        messages: [{ role: 'user', content: 'hi' }],
        // @ts-expect-error Parley's extra field
        conversation_id: crypto.randomUUID(),
      })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 404, code: 'conversation_not_found' });
    const bad = new OpenAI({ apiKey: 'a.b.c', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const unauthorized = await bad.chat.completions
      .create({ model: 'parley', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized).toMatchObject({ code: 'invalid_identity' });
  });
});
