import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import {
  chatBody,
  createTestServer,
  json,
  readUIStream,
  type TestServer,
} from '../../test/support/server-fixture.ts';
import { companyProfile, saveCompanyProfile } from '../support/company-profile.ts';

// The "leave your email" form behind a hand-off outside business hours: only the conversation's owner may
// read or set it.

const never = { timeZone: 'America/New_York', days: {} };
const always = {
  timeZone: 'UTC',
  days: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
  ),
};

describe.each(backends)('conversation contact (%s)', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t.destroy());

  const setHours = async (businessHours: object | undefined) => {
    const { businessHours: _, ...rest } = await companyProfile(t.database.db);
    await saveCompanyProfile(t.database.db, businessHours ? { ...rest, businessHours } : rest);
  };

  /** A conversation handed to a person by `headers`' caller; returns its id and the caller's headers. */
  async function handedOver(headers: Record<string, string> = {}) {
    const id = crypto.randomUUID();
    const res = await t.chat('Where is my refund?', { conversationId: id, headers });
    await readUIStream(res);
    const caller = {
      ...headers,
      ...(res.headers.get('x-parley-visitor')
        ? { 'x-parley-visitor': res.headers.get('x-parley-visitor')! }
        : {}),
    };
    const handoff = await t.app.request(`/api/conversations/${id}/handoff`, {
      method: 'POST',
      headers: { ...json, ...caller },
      body: '{}',
    });
    expect(handoff.status).toBe(200);
    return { id, caller };
  }

  const contact = (id: string, headers: Record<string, string>, email?: string) =>
    t.app.request(`/api/conversations/${id}/contact`, {
      method: email === undefined ? 'GET' : 'POST',
      headers: { ...json, ...headers },
      ...(email === undefined ? {} : { body: JSON.stringify({ email }) }),
    });

  it('asks an anonymous visitor handed over outside hours for an email, and stores it', async () => {
    await setHours(never);
    const { id, caller } = await handedOver();
    expect(await (await contact(id, caller)).json()).toEqual({ askForEmail: true, email: null });

    const bad = await contact(id, caller, 'not an email');
    expect(bad.status).toBe(400);
    // The chat page shows the message to the customer as it is: a sentence, not `email: …`.
    expect(await bad.json()).toMatchObject({
      code: 'invalid_request',
      message: 'Enter a valid email address.',
    });

    const saved = await contact(id, caller, ' visitor@example.org ');
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ askForEmail: false, email: 'visitor@example.org' });
    expect(await (await contact(id, caller)).json()).toEqual({
      askForEmail: false,
      email: 'visitor@example.org',
    });
  });

  it('does not ask inside business hours, before a hand-off, or a customer with an email on record', async () => {
    await setHours(always);
    const inside = await handedOver();
    expect(await (await contact(inside.id, inside.caller)).json()).toEqual({
      askForEmail: false,
      email: null,
    });

    await setHours(never);
    const id = crypto.randomUUID();
    const res = await t.app.request('/api/chat', {
      method: 'POST',
      headers: json,
      body: chatBody('Hello', id),
    });
    await readUIStream(res);
    const visitor = { 'x-parley-visitor': res.headers.get('x-parley-visitor')! };
    expect(await (await contact(id, visitor)).json()).toEqual({ askForEmail: false, email: null });

    const maya = t.customer('cus_a1f93k');
    const own = await handedOver(maya);
    const state = (await (await contact(own.id, maya)).json()) as { askForEmail: boolean; email: string };
    expect(state.askForEmail).toBe(false);
    expect(state.email).toMatch(/@/);
  });

  it('asks whenever no business hours are set', async () => {
    await setHours(undefined);
    const { id, caller } = await handedOver();
    expect(await (await contact(id, caller)).json()).toEqual({ askForEmail: true, email: null });
  });

  it("answers 404 for someone else's conversation, to another visitor and to a customer", async () => {
    await setHours(never);
    const { id } = await handedOver();
    const stranger = { 'x-parley-visitor': 'vis_someoneelse0000000001' };
    const customer = t.customer('cus_a1f93k');
    for (const headers of [stranger, customer]) {
      expect((await contact(id, headers)).status).toBe(404);
      expect((await contact(id, headers, 'attacker@example.com')).status).toBe(404);
    }
    expect((await contact(crypto.randomUUID(), stranger)).status).toBe(404);
  });
});
