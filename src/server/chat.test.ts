import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../db/schema/index.ts';
import { backends } from '../../test/support/databases.ts';
import {
  chatBody,
  createTestServer,
  json,
  readUIStream,
  type TestServer,
} from '../../test/support/server-fixture.ts';

describe.each(backends)('chat APIs (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t.destroy());

  const chat = (body: string, headers: Record<string, string> = {}) =>
    t.app.request('/api/chat', { method: 'POST', headers: { ...json, ...headers }, body });

  describe('POST /api/chat', () => {
    it('streams an answer with citations as a UI message stream and stores both messages', async () => {
      const id = crypto.randomUUID();
      const res = await chat(chatBody('My earbuds will not pair with my phone', id));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
      const visitor = res.headers.get('x-parley-visitor');
      expect(visitor).toMatch(/^vis_/);
      const chunks = await readUIStream(res);
      const types = chunks.map((c) => c.type);
      expect(types[0]).toBe('start');
      expect(types).toContain('text-delta');
      expect(types).toContain('tool-input-available');
      expect(types.at(-1)).toBe('finish');
      const text = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta as string] : [])).join('');
      expect(text).toMatch(/hold the case button/i);
      const sources = chunks.filter((c) => c.type === 'source-url');
      expect(sources.length).toBeGreaterThan(0);
      expect(sources[0]!.url).toMatch(/^\/sources\/[0-9a-f-]{36}$/);
      const finish = chunks.at(-1)!.messageMetadata as Record<string, unknown>;
      expect(finish).toMatchObject({
        conversationId: id,
        model: 'parley-offline',
        offline: true,
        outcome: 'answered',
      });
      const stored = await t.database.db.select().from(messages).where(eq(messages.conversationId, id));
      expect(stored.map((m) => m.role).sort()).toEqual(['assistant', 'user']);
      expect(stored.find((m) => m.role === 'assistant')!.id).toBe(finish.messageId);
      // The citation link opens the passage in its document.
      const page = await t.app.request(sources[0]!.url as string);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/Bluetooth pairing problems/);
      expect((await t.app.request(`/sources/${crypto.randomUUID()}`)).status).toBe(404);
    });

    it('continues the same conversation by id, and only for its owner', async () => {
      const id = crypto.randomUUID();
      const visitor = { 'x-parley-visitor': 'vis_AAAAAAAAAAAAAAAAAAAAAA' };
      await readUIStream(await chat(chatBody('How do I return a product?', id), visitor));
      await readUIStream(await chat(chatBody('How long do refunds take?', id), visitor));
      const [row] = await t.database.db
        .select({ n: count() })
        .from(messages)
        .where(eq(messages.conversationId, id));
      expect(row!.n).toBe(4);
      // Another visitor using the same id is answered exactly as for an unused id: a new conversation (under
      // a new id), which tells nothing about the other one and leaves it untouched.
      const other = await chat(chatBody('What did they ask?', id), {
        'x-parley-visitor': 'vis_BBBBBBBBBBBBBBBBBBBBBB',
      });
      expect(other.status).toBe(200);
      const started = other.headers.get('x-parley-conversation-id');
      await readUIStream(other);
      expect(started).toMatch(/^[0-9a-f-]{36}$/);
      expect(started).not.toBe(id);
      const [after] = await t.database.db
        .select({ n: count() })
        .from(messages)
        .where(eq(messages.conversationId, id));
      expect(after!.n).toBe(4);
      // And a customer cannot read it either.
      const asCustomer = await t.app.request(`/api/conversations/${id}`, {
        headers: t.customer('cus_a1f93k'),
      });
      expect(asCustomer.status).toBe(404);
    });

    it("answers a signed-in customer about their own order and not another customer's", async () => {
      const own = await readUIStream(
        await chat(chatBody('Where is my order KE-100118?'), t.customer('cus_a1f93k')),
      );
      const ownText = own.flatMap((c) => (c.type === 'text-delta' ? [c.delta as string] : [])).join('');
      expect(ownText).toMatch(/KE-100118/);
      expect(ownText).toMatch(/delivered/i);
      const other = await readUIStream(
        await chat(chatBody('Where is order KE-100142?'), t.customer('cus_a1f93k')),
      );
      const otherText = other.flatMap((c) => (c.type === 'text-delta' ? [c.delta as string] : [])).join('');
      expect(otherText).not.toMatch(/San Antonio|9400111899562847315520/);
      expect(otherText).toMatch(/couldn't find order KE-100142 on your account/i);
    });

    it('rejects malformed requests with the error shape', async () => {
      for (const body of [
        '{',
        JSON.stringify({ messages: [] }),
        JSON.stringify({ messages: [{ role: 'x', parts: [] }] }),
      ]) {
        const res = await chat(body);
        expect(res.status).toBe(400);
        const error = (await res.json()) as Record<string, string>;
        expect(error.code).toBe('invalid_request');
        expect(error.requestId).toBeTruthy();
      }
      const empty = await chat(chatBody('   '));
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ code: 'empty_message' });
      const long = await chat(chatBody('x'.repeat(9000)));
      expect(long.status).toBe(400);
      expect(await long.json()).toMatchObject({ code: 'message_too_long' });
      const huge = await chat(chatBody('y'.repeat(1_100_000)));
      expect(huge.status).toBe(413);
    });

    it('refuses bad identity signatures, expired tokens and unknown customers', async () => {
      const bad = await chat(chatBody('hi'), {
        'x-parley-customer': 'cus_a1f93k',
        'x-parley-signature': 'deadbeef',
      });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toMatchObject({ code: 'invalid_identity' });
      const expired = await chat(chatBody('hi'), {
        authorization: `Bearer ${t.customerJwt('cus_a1f93k', -60)}`,
      });
      expect(expired.status).toBe(401);
      const unknown = await chat(chatBody('hi'), t.customer('cus_nobody'));
      expect(unknown.status).toBe(401);
      expect(await unknown.json()).toMatchObject({ code: 'unknown_customer' });
      const jwt = await chat(chatBody('What is my plan?'), {
        authorization: `Bearer ${t.customerJwt('cus_a1f93k')}`,
      });
      expect(jwt.status).toBe(200);
      await readUIStream(jwt);
    });

    it('accepts the previous identity secret during a rotation, and nothing else', async () => {
      const { signCustomerId, signCustomerJwt } = await import('./auth.ts');
      const old = 'the-previous-secret-0123456789';
      const rotating = { ...t.services, config: { ...t.services.config, previousIdentitySecret: old } };
      const { createApp } = await import('./app.ts');
      const app = createApp(rotating);
      const ask = (headers: Record<string, string>) =>
        app.request('/api/chat', {
          method: 'POST',
          headers: { ...json, ...headers },
          body: chatBody('What is my plan?'),
        });
      const signedOld = await ask({
        'x-parley-customer': 'cus_a1f93k',
        'x-parley-signature': signCustomerId(old, 'cus_a1f93k'),
      });
      expect(signedOld.status).toBe(200);
      await readUIStream(signedOld);
      const jwtOld = await ask({ authorization: `Bearer ${signCustomerJwt(old, 'cus_a1f93k')}` });
      expect(jwtOld.status).toBe(200);
      await readUIStream(jwtOld);
      const other = await ask({
        'x-parley-customer': 'cus_a1f93k',
        'x-parley-signature': signCustomerId('some-other-secret-0123456789', 'cus_a1f93k'),
      });
      expect(other.status).toBe(401);
      // Without the rotation setting the old secret is refused.
      const plain = await chat(chatBody('hi'), {
        'x-parley-customer': 'cus_a1f93k',
        'x-parley-signature': signCustomerId(old, 'cus_a1f93k'),
      });
      expect(plain.status).toBe(401);
    });

    it('links a visitor to a customer only through the explicit sign-in step, with the visitor token', async () => {
      const id = crypto.randomUUID();
      const first = await chat(chatBody('Do you ship to Canada?', id));
      const visitorId = first.headers.get('x-parley-visitor')!;
      const visitorToken = first.headers.get('x-parley-visitor-token')!;
      await readUIStream(first);
      expect(visitorToken).toBeTruthy();
      // Naming the customer on an ordinary request no longer moves anything.
      await t.app.request('/api/conversations', {
        headers: { 'x-parley-visitor': visitorId, ...t.customer('cus_c8m51q') },
      });
      const [before] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
      expect(before!.customerId).toBeNull();
      const link = await t.app.request('/api/session/link', {
        method: 'POST',
        headers: { ...json, ...t.customer('cus_c8m51q') },
        body: JSON.stringify({ visitorId, visitorToken }),
      });
      expect(link.status).toBe(200);
      expect(await link.json()).toMatchObject({ linked: 1, externalId: 'cus_c8m51q' });
      const list = await t.app.request('/api/conversations', { headers: t.customer('cus_c8m51q') });
      const { conversations: rows } = (await list.json()) as { conversations: { id: string }[] };
      expect(rows.map((r) => r.id)).toContain(id);
    });

    it('allows CORS only from configured widget origins', async () => {
      const allowed = await t.app.request('/api/chat', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
      const denied = await t.app.request('/api/chat', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('customer conversations, feedback and hand-off', () => {
    it('lists, shows, rates and hands over a conversation', async () => {
      const headers = t.customer('cus_b27x4d');
      const id = crypto.randomUUID();
      const chunks = await readUIStream(await chat(chatBody('How do I return my earbuds?', id), headers));
      const messageId = (chunks.at(-1)!.messageMetadata as { messageId: string }).messageId;
      const list = (await (await t.app.request('/api/conversations', { headers })).json()) as {
        conversations: { id: string }[];
      };
      expect(list.conversations.map((c) => c.id)).toContain(id);
      const shown = await t.app.request(`/api/conversations/${id}`, { headers });
      const transcript = (await shown.json()) as { messages: { role: string; citations: unknown[] }[] };
      expect(transcript.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

      const rated = await t.app.request('/api/feedback', {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify({ messageId, rating: 'down', reason: 'Too vague' }),
      });
      expect(rated.status).toBe(200);
      // Someone else cannot rate it; a malformed rating is a validation error.
      const stranger = await t.app.request('/api/feedback', {
        method: 'POST',
        headers: { ...json, ...t.customer('cus_a1f93k') },
        body: JSON.stringify({ messageId, rating: 'up' }),
      });
      expect(stranger.status).toBe(404);
      const invalid = await t.app.request('/api/feedback', {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify({ messageId, rating: 'meh' }),
      });
      expect(invalid.status).toBe(400);

      const handoff = await t.app.request(`/api/conversations/${id}/handoff`, { method: 'POST', headers });
      expect(handoff.status).toBe(200);
      const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
      expect(row).toMatchObject({ status: 'escalated', rating: -1 });
      // Asking again changes nothing: the customer is told once.
      await t.app.request(`/api/conversations/${id}/handoff`, { method: 'POST', headers });
      const after = await t.app.request(`/api/conversations/${id}`, { headers });
      const { messages: shownAfter } = (await after.json()) as { messages: { content: string }[] };
      expect(shownAfter.filter((m) => /passed this conversation/.test(m.content))).toHaveLength(1);
      const longReason = await t.app.request(`/api/conversations/${id}/handoff`, {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify({ reason: 'x'.repeat(501) }),
      });
      expect(longReason.status).toBe(400);
      const notMine = await t.app.request(`/api/conversations/${id}/handoff`, {
        method: 'POST',
        headers: t.customer('cus_a1f93k'),
      });
      expect(notMine.status).toBe(404);
      const badId = await t.app.request('/api/conversations/not-a-uuid', { headers });
      expect(badId.status).toBe(400);
    });
  });

  describe('OpenAI-compatible API', () => {
    const completion = (body: object, headers: Record<string, string> = {}) =>
      t.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...json, authorization: 'Bearer anything', ...headers },
        body: JSON.stringify(body),
      });

    it('answers as the model "parley" with citations, and continues by conversation_id', async () => {
      const first = await completion({
        model: 'parley',
        messages: [{ role: 'user', content: 'How do I return a product?' }],
      });
      expect(first.status).toBe(200);
      const body = (await first.json()) as {
        object: string;
        choices: { message: { content: string } }[];
        citations: { url: string }[];
        conversation_id: string;
      };
      expect(body.object).toBe('chat.completion');
      expect(body.choices[0]!.message.content).toMatch(/30 days/);
      expect(body.citations.length).toBeGreaterThan(0);
      const visitor = first.headers.get('x-parley-visitor')!;
      const second = await completion(
        {
          model: 'parley',
          conversation_id: body.conversation_id,
          messages: [{ role: 'user', content: 'And the refund?' }],
        },
        { 'x-parley-visitor': visitor },
      );
      expect(second.status).toBe(200);
      expect(((await second.json()) as { conversation_id: string }).conversation_id).toBe(
        body.conversation_id,
      );
    });

    it('streams chat.completion.chunk events ending in [DONE]', async () => {
      const res = await completion({
        model: 'parley',
        stream: true,
        messages: [{ role: 'user', content: 'How do I return a product?' }],
      });
      expect(res.status).toBe(200);
      const events = (await res.text())
        .split('\n\n')
        .filter(Boolean)
        .map((e) => e.replace(/^data: /, ''));
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events
        .slice(0, -1)
        .map(
          (e) =>
            JSON.parse(e) as { choices: { delta: { content?: string }; finish_reason: string | null }[] },
        );
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/30 days/);
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    });

    it('acts for a customer only with a staff token', async () => {
      const staff = await completion(
        {
          model: 'parley',
          user: 'cus_a1f93k',
          messages: [{ role: 'user', content: 'Where is my order KE-100118?' }],
        },
        t.staff,
      );
      expect(
        ((await staff.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      ).toMatch(/delivered/i);
      // Without a staff token, `user` is ignored: an anonymous caller gets no account data.
      const anon = await completion({
        model: 'parley',
        user: 'cus_a1f93k',
        messages: [{ role: 'user', content: 'Where is my order KE-100118?' }],
      });
      expect(
        ((await anon.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      ).not.toMatch(/delivered/i);
      const forged = await completion(
        { model: 'parley', messages: [{ role: 'user', content: 'hi' }] },
        { authorization: 'Bearer ptk_forged' },
      );
      expect(forged.status).toBe(401);
    });

    it("continues only the caller's own conversation", async () => {
      const unknown = await completion({
        model: 'parley',
        conversation_id: crypto.randomUUID(),
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(unknown.status).toBe(404);
      // OpenAI's error shape on /v1, which OpenAI clients read.
      expect(await unknown.json()).toMatchObject({
        error: { code: 'conversation_not_found', type: 'not_found_error', message: expect.any(String) },
      });
    });

    it('validates the request and the model name', async () => {
      expect((await completion({ model: 'parley', messages: [] })).status).toBe(400);
      const wrong = await completion({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
      expect(wrong.status).toBe(404);
      expect(await wrong.json()).toMatchObject({ error: { code: 'model_not_found' } });
      const models = (await (await t.app.request('/v1/models')).json()) as { data: { id: string }[] };
      expect(models.data.map((m) => m.id)).toEqual(['parley']);
    });
  });

  describe('operations and docs', () => {
    it('reports health, readiness and info', async () => {
      expect(await (await t.app.request('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await t.app.request('/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', pendingMigrations: [] });
      expect(await (await t.app.request('/api/info')).json()).toMatchObject({
        offline: true,
        model: 'parley-offline',
      });
    });

    it('serves an OpenAPI document generated from the routes, and a docs page', async () => {
      const doc = (await (await t.app.request('/openapi.json', { headers: t.staff })).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      for (const path of [
        '/api/chat',
        '/v1/chat/completions',
        '/api/admin/documents',
        '/api/admin/analytics',
        '/readyz',
      ]) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      const docs = await t.app.request('/docs');
      expect(await docs.text()).toMatch(/\/v1\/chat\/completions/);
    });

    it('answers unknown routes and internal failures with the error shape, leaking nothing', async () => {
      const missing = await t.app.request('/nope');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'not_found' });
      expect(missing.headers.get('x-request-id')).toBeTruthy();
    });
  });
});
