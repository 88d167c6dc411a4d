import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunks, documents } from '../db/schema/index.ts';
import { backends } from '../../test/support/databases.ts';
import { scriptedModel, toolOutputs } from '../../test/support/scripted-model.ts';
import {
  chatBody,
  createTestServer,
  json,
  readUIStream,
  type TestServer,
} from '../../test/support/server-fixture.ts';
import { createApp } from './app.ts';

// What the server shows to whom (issue 11, items 7, 8 and 17): retired documents, other people's conversation
// ids, local paths, headers, metrics, the OpenAPI document, and citation numbers.

describe.each(backends)('exposure (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t.destroy());

  const upload = async (name: string, text: string) => {
    const form = new FormData();
    form.append('files', new File([text], name));
    const res = await t.app.request('/api/admin/documents', { method: 'POST', headers: t.staff, body: form });
    expect(res.status).toBe(200);
  };
  const chunkIdsOf = async (source: string) =>
    (
      await t.database.db
        .select({ id: chunks.id, versionId: chunks.versionId })
        .from(chunks)
        .innerJoin(documents, eq(documents.id, chunks.documentId))
        .where(eq(documents.source, source))
    ).map((r) => r.id);

  it('serves a passage of an older version of a live document, and nothing of a retired one', async () => {
    await upload('warranty-card.md', '# Warranty card\n\nKeep the warranty card for two years.\n');
    const [v1] = await chunkIdsOf('upload://warranty-card.md');
    await upload('warranty-card.md', '# Warranty card\n\nKeep the warranty card for three years.\n');
    const all = await chunkIdsOf('upload://warranty-card.md');
    const v2 = all.find((id) => id !== v1)!;
    const old = await t.app.request(`/sources/${v1}`);
    expect(old.status).toBe(200);
    expect(await old.text()).toMatch(/earlier version/);
    expect((await t.app.request(`/sources/${v2}`)).status).toBe(200);
    const [doc] = await t.database.db
      .select()
      .from(documents)
      .where(eq(documents.source, 'upload://warranty-card.md'));
    const retired = await t.app.request(`/api/admin/documents/${doc!.id}`, {
      method: 'DELETE',
      headers: t.staff,
    });
    expect(retired.status).toBe(200);
    expect((await t.app.request(`/sources/${v1}`)).status).toBe(404);
    expect((await t.app.request(`/sources/${v2}`)).status).toBe(404);
  });

  it('never shows an anonymous caller a local path in citations', async () => {
    const res = await t.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer anonymous' },
      body: JSON.stringify({
        model: 'parley',
        messages: [{ role: 'user', content: 'How do I return a product?' }],
      }),
    });
    const body = (await res.json()) as {
      conversation_id: string;
      citations: { source: string; url: string; title: string }[];
    };
    expect(body.citations.length).toBeGreaterThan(0);
    const [stored] = await t.database.db
      .select()
      .from(documents)
      .where(eq(documents.title, 'Returns and refunds'));
    expect(path.isAbsolute(stored!.source)).toBe(true);
    for (const c of body.citations) {
      expect(c.source).toMatch(/^(\/sources\/[0-9a-f-]{36}|https?:\/\/)/);
      expect(c.source).toBe(c.url);
      expect(c.title).toBeTruthy();
    }
    const visitor = res.headers.get('x-parley-visitor')!;
    const transcript = (await (
      await t.app.request(`/api/conversations/${body.conversation_id}`, {
        headers: { 'x-parley-visitor': visitor },
      })
    ).json()) as { messages: { citations: { source: string }[] }[] };
    const sources = transcript.messages.flatMap((m) => m.citations.map((c) => c.source));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^(\/sources\/[0-9a-f-]{36}|https?:\/\/)/);
  });

  it('sets security headers; only the widget frame may be framed, and only by widget origins', async () => {
    const api = await t.app.request('/api/info');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('same-origin');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    const csp = api.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    for (const page of ['/', '/admin', '/docs']) {
      const res = await t.app.request(page);
      expect(res.headers.get('x-frame-options'), page).toBe('DENY');
    }
    const frame = await t.app.request('/chat?embed=1');
    expect(frame.headers.get('x-frame-options')).toBeNull();
    expect(frame.headers.get('content-security-policy')).toMatch(
      /frame-ancestors 'self' https:\/\/shop\.example\.com(;|$)/,
    );
  });

  it('describes the admin API in /openapi.json and /docs only to staff', async () => {
    const paths = async (headers: Record<string, string>) =>
      Object.keys(
        ((await (await t.app.request('/openapi.json', { headers })).json()) as { paths: object }).paths,
      );
    const anonymous = await paths({});
    expect(anonymous).toContain('/api/chat');
    expect(anonymous).toContain('/v1/chat/completions');
    expect(anonymous.filter((p) => p.startsWith('/api/admin'))).toEqual([]);
    expect(await paths(t.staff)).toContain('/api/admin/documents');
    expect(await (await t.app.request('/docs')).text()).not.toMatch(/<code>\/api\/admin/);
    expect(await (await t.app.request('/docs', { headers: t.staff })).text()).toMatch(
      /<code>\/api\/admin\/documents/,
    );
  });

  describe('citation numbers', () => {
    /** An app whose model searches, then cites the last passage it was shown, then the first. */
    async function citingApp() {
      const shown: { ref: string; text: string }[] = [];
      const model = scriptedModel([
        { tools: [{ name: 'search_knowledge', input: { query: 'earbuds will not pair bluetooth' } }] },
        (call) => {
          const output = toolOutputs(call)[0]!.output as {
            value: { passages: { ref: string; text: string }[] };
          };
          shown.push(...output.value.passages);
          const last = shown.at(-1)!.ref;
          return { text: `Reset them [${last}]. Then pair again [S1]. Still stuck? [${last}] [S99]` };
        },
      ]);
      const app = createApp({ ...t.services, agent: { ...t.services.agent, chat: model } });
      const chunkOf = async (text: string) =>
        (
          await t.database.db
            .select({ id: chunks.id })
            .from(chunks)
            .where(and(eq(chunks.text, text)))
        )[0]!.id;
      return { app, shown, chunkOf };
    }
    const expected = 'Reset them [1]. Then pair again [2]. Still stuck? [1]';

    it('match the citation list on /v1, streaming or not', async () => {
      const plain = await citingApp();
      const res = await plain.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          model: 'parley',
          messages: [{ role: 'user', content: 'My earbuds will not pair' }],
        }),
      });
      const body = (await res.json()) as {
        choices: { message: { content: string } }[];
        citations: { chunk_id: string }[];
      };
      expect(plain.shown.length).toBeGreaterThan(1);
      expect(body.choices[0]!.message.content).toBe(expected);
      expect(body.citations.map((c) => c.chunk_id)).toEqual([
        await plain.chunkOf(plain.shown.at(-1)!.text),
        await plain.chunkOf(plain.shown[0]!.text),
      ]);

      const streamed = await citingApp();
      const events = (
        await (
          await streamed.app.request('/v1/chat/completions', {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              model: 'parley',
              stream: true,
              messages: [{ role: 'user', content: 'My earbuds will not pair' }],
            }),
          })
        ).text()
      )
        .split('\n\n')
        .map((e) => e.replace(/^data: /, ''))
        .filter((e) => e && e !== '[DONE]')
        .map(
          (e) =>
            JSON.parse(e) as {
              choices: { delta: { content?: string } }[];
              citations?: { chunk_id: string }[];
            },
        );
      expect(events.map((e) => e.choices[0]?.delta.content ?? '').join('')).toBe(expected);
      expect(events.at(-1)!.citations!.map((c) => c.chunk_id)).toEqual([
        await streamed.chunkOf(streamed.shown.at(-1)!.text),
        await streamed.chunkOf(streamed.shown[0]!.text),
      ]);
    });

    it('match the source parts on /api/chat', async () => {
      const { app, shown, chunkOf } = await citingApp();
      const parts = await readUIStream(
        await app.request('/api/chat', {
          method: 'POST',
          headers: json,
          body: chatBody('My earbuds will not pair'),
        }),
      );
      const text = parts.flatMap((c) => (c.type === 'text-delta' ? [c.delta as string] : [])).join('');
      expect(text).toBe(expected);
      expect(parts.filter((c) => c.type === 'source-url').map((c) => c.sourceId)).toEqual([
        await chunkOf(shown.at(-1)!.text),
        await chunkOf(shown[0]!.text),
      ]);
    });
  });
});
