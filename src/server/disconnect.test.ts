import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../db/schema/index.ts';
import { listErrors } from '../ops/error-tracking.ts';
import { scriptedModel } from '../../test/support/scripted-model.ts';
import { chatBody, createTestServer, json, type TestServer } from '../../test/support/server-fixture.ts';
import { type RunningServer, startServer } from './serve.ts';

// A customer closing the page while an answer streams is normal, not a server error (issue 11, item 16).
describe('a client that goes away mid-stream', () => {
  let t: TestServer;
  let server: RunningServer;
  beforeAll(async () => {
    t = await createTestServer('pglite');
    const slow = scriptedModel([{ text: 'one two three four five six seven eight nine ten' }], {
      chunkDelayInMs: 40,
    });
    server = await startServer(
      { ...t.services, agent: { ...t.services.agent, chat: slow } },
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(async () => {
    await server.close(1000);
    await t.destroy();
  });

  /** Starts a streamed request, reads its first bytes, then drops the connection. */
  async function abandon(path: string, body: string): Promise<Response> {
    const abort = new AbortController();
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: json,
      body,
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    await res.body!.getReader().read();
    abort.abort();
    return res;
  }

  /** Waits until every answer in progress is stored (or failed), then a little for error tracking. */
  async function settled(): Promise<void> {
    while (t.services.inflight.size > 0) await Promise.allSettled([...t.services.inflight]);
    await new Promise((r) => setTimeout(r, 200));
  }

  it('is not recorded as an error on /api/chat, and the answer is still stored', async () => {
    const id = crypto.randomUUID();
    await abandon('/api/chat', chatBody('Tell me a story', id));
    await settled();
    expect(await listErrors(t.database.db)).toEqual([]);
    const stored = await t.database.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.map((m) => m.role).sort()).toEqual(['assistant', 'user']);
  });

  it('is not recorded as an error on /v1/chat/completions', async () => {
    const res = await abandon(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'parley',
        stream: true,
        messages: [{ role: 'user', content: 'Tell me a story' }],
      }),
    );
    const conversationId = res.headers.get('x-parley-conversation-id')!;
    await settled();
    expect(await listErrors(t.database.db)).toEqual([]);
    const stored = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId));
    expect(stored.map((m) => m.role).sort()).toEqual(['assistant', 'user']);
  });
});
