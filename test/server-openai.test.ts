import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messages } from '../src/db/schema/index.ts';
import { listErrors } from '../src/ops/error-tracking.ts';
import { type FakeOpenAI, startFakeOpenAI, toolResults } from './support/fake-openai.ts';
import { chatBody, createTestServer, json, readUIStream, type TestServer } from './support/server-fixture.ts';

type Passages = { passages: { ref: string; text: string }[] };

// The server with the real OpenAI provider (AI SDK) against a local fake of the OpenAI HTTP API.
describe('the server answering with an OpenAI model', () => {
  let fake: FakeOpenAI;
  let t: TestServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestServer('pglite', { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
  });
  afterAll(async () => {
    await t?.destroy();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const answerFromFirstPassage = (body: Parameters<typeof toolResults>[0]) => {
    const first = (toolResults(body)[0]!.content as Passages).passages[0]!;
    return { text: `${first.text.split('.')[0]}. [${first.ref}]` };
  };

  it('streams tool activity, the answer and its citation to useChat, and says which model answered', async () => {
    fake.scriptChat([
      { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'earbuds will not pair' } }] },
      answerFromFirstPassage,
    ]);
    const res = await t.app.request('/api/chat', {
      method: 'POST',
      headers: json,
      body: chatBody('My earbuds will not pair'),
    });
    const chunks = await readUIStream(res);
    const tool = chunks.find((c) => c.type === 'tool-input-available')!;
    expect(tool).toMatchObject({ toolName: 'search_knowledge', input: { query: 'earbuds will not pair' } });
    expect(chunks.some((c) => c.type === 'tool-output-available' && c.toolCallId === tool.toolCallId)).toBe(
      true,
    );
    const text = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta as string] : [])).join('');
    expect(text).toMatch(/hold the case button for three seconds/i);
    expect(chunks.filter((c) => c.type === 'source-url')).toHaveLength(1);
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      messageMetadata: { model: 'openai:gpt-4.1-mini', offline: false, outcome: 'answered' },
    });
    // The model was given the customer's question and Parley's tools.
    const [first] = fake.chatRequests();
    expect(JSON.stringify(first!.messages)).toMatch(/My earbuds will not pair/);
    expect((first!.tools ?? []).map((x) => x.function.name)).toContain('search_knowledge');
  });

  it('streams through /v1/chat/completions too', async () => {
    fake.scriptChat([
      { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'return a product' } }] },
      answerFromFirstPassage,
    ]);
    const res = await t.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer anonymous' },
      body: JSON.stringify({
        model: 'parley',
        stream: true,
        messages: [{ role: 'user', content: 'How do returns work?' }],
      }),
    });
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const text = events
      .slice(0, -1)
      .map(
        (e) =>
          (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '',
      )
      .join('');
    expect(text).toMatch(/30 days/);
  });

  it('keeps the question when the model fails, ends the stream with an error, and tracks the error', async () => {
    fake.failNext([500, 500, 500, 500, 500]);
    const id = crypto.randomUUID();
    const res = await t.app.request('/api/chat', {
      method: 'POST',
      headers: json,
      body: chatBody('Is the warranty transferable?', id),
    });
    expect(res.status).toBe(200);
    const chunks = await readUIStream(res);
    expect(chunks.some((c) => c.type === 'error')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'error' });
    const stored = await t.database.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.map((m) => [m.role, m.content])).toEqual([['user', 'Is the warranty transferable?']]);
    expect((await listErrors(t.database.db)).length).toBeGreaterThan(0);
  });
});
