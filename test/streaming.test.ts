import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/serve.ts';
import { scriptedModel } from './support/scripted-model.ts';
import { chatBody, createTestServer, json, type TestServer } from './support/server-fixture.ts';

// Over a real socket, answers must reach the client as they are generated, not in one piece at the end.
describe('streaming over HTTP', () => {
  let t: TestServer;
  let server: RunningServer;
  beforeAll(async () => {
    t = await createTestServer('pglite');
    const slow = scriptedModel([{ text: 'one two three four five six seven eight' }], { chunkDelayInMs: 60 });
    server = await startServer(
      { ...t.services, agent: { ...t.services.agent, chat: slow } },
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(async () => {
    await server.close();
    await t.destroy();
  });

  async function arrivals(path: string, body: string): Promise<{ at: number; text: string }[]> {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: json, body });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const out: { at: number; text: string }[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out.push({ at: performance.now() - started, text: decoder.decode(value) });
    }
  }

  it('sends /api/chat text deltas as they are generated', async () => {
    const chunks = await arrivals('/api/chat', chatBody('Tell me a story'));
    const withText = chunks.filter((c) => c.text.includes('"text-delta"'));
    expect(withText.length).toBeGreaterThan(3);
    // Eight words 60 ms apart: the first arrives long before the last.
    expect(withText.at(-1)!.at - withText[0]!.at).toBeGreaterThan(200);
  });

  it('sends /v1/chat/completions chunks as they are generated', async () => {
    const chunks = await arrivals(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'parley',
        stream: true,
        messages: [{ role: 'user', content: 'Tell me a story' }],
      }),
    );
    const withText = chunks.filter((c) => c.text.includes('"content":"'));
    expect(withText.length).toBeGreaterThan(3);
    expect(withText.at(-1)!.at - withText[0]!.at).toBeGreaterThan(200);
  });
});
