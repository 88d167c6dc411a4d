import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/serve.ts';
import { createTestServer, type TestServer } from './support/server-fixture.ts';

// The official OpenAI npm client against Parley's /v1 endpoints on a real socket.
describe('official openai client against /v1/chat/completions', () => {
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

  it('lists the model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['parley']);
  });

  it('answers a plain completion with citations in the extra field', async () => {
    const completion = await client.chat.completions.create({
      model: 'parley',
      messages: [{ role: 'user', content: 'How many days do I have to return a product?' }],
    });
    expect(completion.choices[0]!.message.content).toMatch(/30 days/);
    const extra = completion as unknown as {
      citations: { url: string; title: string }[];
      conversation_id: string;
    };
    expect(extra.citations[0]!.title).toMatch(/Returns and refunds/);
    expect(extra.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('streams a completion', async () => {
    const stream = await client.chat.completions.create({
      model: 'parley',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'My earbuds will not pair' }],
    });
    let text = '';
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toMatch(/case button/i);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it('surfaces errors as API errors with a status', async () => {
    await expect(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
