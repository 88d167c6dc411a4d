import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../db/schema/index.ts';
import { backends } from '../../test/support/databases.ts';
import {
  adminToken,
  chatBody,
  createTestServer,
  identitySecret,
  json,
  readUIStream,
  type TestServer,
} from '../../test/support/server-fixture.ts';
import { createApp } from './app.ts';
import { signCustomerId } from './auth.ts';

// Identity and access (issue 11, items 4-6): who may take over which conversations, what a signature or token
// proves, and limits that hold on every route.

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hexToBase64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

describe.each(backends)('identity and access (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t.destroy());

  const chat = (body: string, headers: Record<string, string> = {}) =>
    t.app.request('/api/chat', { method: 'POST', headers: { ...json, ...headers }, body });

  /** A visitor who chats anonymously: the id and token the server issued, and the conversation. */
  async function anonymousVisitor() {
    const id = crypto.randomUUID();
    const res = await chat(chatBody('My order never arrived, my address is 12 Elm St', id));
    const visitorId = res.headers.get('x-parley-visitor')!;
    const visitorToken = res.headers.get('x-parley-visitor-token')!;
    await readUIStream(res);
    return { id, visitorId, visitorToken };
  }

  const ownerOf = async (id: string) =>
    (await t.database.db.select().from(conversations).where(eq(conversations.id, id)))[0]!.customerId;

  describe('conversation takeover by link', () => {
    it("a customer's signature sent from the victim's browser does not move the victim's conversations", async () => {
      const victim = await anonymousVisitor();
      // The attacker's link made the victim's page send the attacker's identity with the victim's visitor id.
      const attacker = t.customer('cus_a1f93k');
      const asVictimBrowser = { 'x-parley-visitor': victim.visitorId, ...attacker };
      expect((await t.app.request('/api/conversations', { headers: asVictimBrowser })).status).toBe(200);
      await readUIStream(await chat(chatBody('hello'), asVictimBrowser));
      expect(await ownerOf(victim.id)).toBeNull();
      const listed = (await (await t.app.request('/api/conversations', { headers: attacker })).json()) as {
        conversations: { id: string }[];
      };
      expect(listed.conversations.map((c) => c.id)).not.toContain(victim.id);
      expect((await t.app.request(`/api/conversations/${victim.id}`, { headers: attacker })).status).toBe(
        404,
      );
    });

    it('links only with the token issued with the visitor id, and only for a signed-in customer', async () => {
      const victim = await anonymousVisitor();
      const other = await anonymousVisitor();
      const link = (headers: Record<string, string>, body: object) =>
        t.app.request('/api/session/link', {
          method: 'POST',
          headers: { ...json, ...headers },
          body: JSON.stringify(body),
        });
      const attacker = t.customer('cus_a1f93k');
      // A visitor id alone, a made-up token, or another visitor's token prove nothing.
      expect((await link(attacker, { visitorId: victim.visitorId, visitorToken: 'x' })).status).toBe(403);
      const swapped = await link(attacker, { visitorId: victim.visitorId, visitorToken: other.visitorToken });
      expect(swapped.status).toBe(403);
      expect(await swapped.json()).toMatchObject({ code: 'forbidden' });
      expect((await link(attacker, { visitorId: victim.visitorId })).status).toBe(400);
      // An anonymous caller cannot link at all.
      const anonymous = await link({}, { visitorId: victim.visitorId, visitorToken: victim.visitorToken });
      expect(anonymous.status).toBe(401);
      // Linking is a POST: GET does nothing.
      expect((await t.app.request('/api/session/link', { headers: attacker })).status).toBe(404);
      expect(await ownerOf(victim.id)).toBeNull();
      // The browser that holds the token (the widget frame, once its host page signs the customer in) links.
      const own = await link(t.customer('cus_c8m51q'), victim);
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ linked: 1, externalId: 'cus_c8m51q' });
      expect(await ownerOf(victim.id)).not.toBeNull();
    });

    it('says who is signed in, and issues a new visitor with its token', async () => {
      const fresh = await t.app.request('/api/session');
      expect(fresh.status).toBe(200);
      const visitor = (await fresh.json()) as { kind: string; visitorId: string };
      expect(visitor.kind).toBe('visitor');
      expect(fresh.headers.get('x-parley-visitor')).toBe(visitor.visitorId);
      expect(fresh.headers.get('x-parley-visitor-token')).toMatch(/^[\w-]{43}$/);
      const signedIn = await t.app.request('/api/session', { headers: t.customer('cus_a1f93k') });
      expect(await signedIn.json()).toMatchObject({ kind: 'customer', externalId: 'cus_a1f93k' });
    });
  });

  describe('signatures and tokens', () => {
    it('a customer id shaped like a JWT signing input, signed by the host page, is not a JWT', async () => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'cus_a1f93k', exp: 4_102_444_800 })}`;
      const forged = `${input}.${hexToBase64url(signCustomerId(identitySecret, input))}`;
      const res = await chat(chatBody('What is my plan?'), { authorization: `Bearer ${forged}` });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'invalid_identity' });
      // A real customer JWT still works.
      const real = await chat(chatBody('What is my plan?'), {
        authorization: `Bearer ${t.customerJwt('cus_a1f93k')}`,
      });
      expect(real.status).toBe(200);
      await readUIStream(real);
    });

    it('answers malformed bearer tokens with 401, never 500 and never silently anonymous', async () => {
      const nullHeader = `${Buffer.from('null').toString('base64url')}.${b64({ sub: 'x', exp: 4_102_444_800 })}.sig`;
      for (const token of [
        nullHeader,
        'not-a-jwt',
        'a.b.c',
        `${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`,
      ]) {
        const res = await chat(chatBody('hi'), { authorization: `Bearer ${token}` });
        expect(res.status, token).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'invalid_identity' });
      }
      // On /v1 any API key is an anonymous visitor, but one shaped like a JWT must be a valid one.
      const v1 = await t.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${nullHeader}` },
        body: JSON.stringify({ model: 'parley', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(v1.status).toBe(401);
      expect(await v1.json()).toMatchObject({
        error: { code: 'invalid_identity', type: 'authentication_error' },
      });
    });
  });

  describe('limits', () => {
    it('applies the per-customer limit on /v1', async () => {
      const app = createApp({
        ...t.services,
        config: { ...t.services.config, rateLimit: { perIp: 1000, perCustomer: 2 } },
      });
      // A wrong model fails in the handler, after the limits, so the requests are cheap but still counted.
      const ask = () =>
        app.request('/v1/chat/completions', {
          method: 'POST',
          headers: { ...json, authorization: `Bearer ${t.customerJwt('cus_b27x4d')}` },
          body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await ask()).status).toBe(404);
      expect((await ask()).status).toBe(404);
      const limited = await ask();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.json()).toMatchObject({
        error: { code: 'rate_limited', type: 'rate_limit_error' },
      });
    });

    it('throttles failed staff tokens per address on every admin route, sign-in included', async () => {
      const app = createApp(t.services);
      const documents = (token: string) =>
        app.request('/api/admin/documents', { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 10; i++) expect((await documents(`ptk_guess${i}`)).status).toBe(401);
      const throttled = await documents(t.staffToken);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
      const signIn = await app.request('/api/admin/session', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ token: t.staffToken }),
      });
      expect(signIn.status).toBe(429);
      // Guessing through /v1's staff path counts the same way.
      const v1 = await app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({
          model: 'parley',
          user: 'cus_a1f93k',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(v1.status).toBe(429);
      // Another app (another address's counters) is unaffected.
      expect((await t.app.request('/api/admin/documents', { headers: t.staff })).status).toBe(200);
    });
  });
});
