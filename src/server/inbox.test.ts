import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { testIngestSettings } from '../../test/support/files.ts';
import { createTestServer, json, readUIStream, type TestServer } from '../../test/support/server-fixture.ts';
import { defaultSafetyInstruction } from '../agent/handoff-rules.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { conversations, messages } from '../db/schema/index.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { silentLogger } from '../ops/log.ts';
import { type App, createApp } from './app.ts';
import type { Services } from './app-env.ts';
import { maxStreamsPerCaller } from './event-stream.ts';
import { createServices, startServer } from './serve.ts';

interface SseEvent {
  event: string;
  data: string;
}

/** Reads a server-sent event stream as it arrives; `next` waits for the first event matching a test. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  let done = false;
  const pump = (async () => {
    for (;;) {
      const { value, done: finished } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (finished) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).trimStart())
            .join('\n');
        events.push({ event: field('event') || 'message', data: field('data') });
      }
    }
    done = true;
  })();
  let read = 0;
  return {
    events,
    get done() {
      return done;
    },
    pump,
    /** The next event (after those already taken) that matches, within `ms`. */
    async next(match: (e: SseEvent) => boolean = () => true, ms = 8000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < events.length) {
          const e = events[read++]!;
          if (match(e)) return e;
        }
        if (done) throw new Error(`stream ended; saw ${JSON.stringify(events)}`);
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

const parsed = (e: SseEvent) => JSON.parse(e.data) as Record<string, unknown>;
const textOf = (chunks: Record<string, unknown>[]) =>
  chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta as string)
    .join('');
const finishOf = (chunks: Record<string, unknown>[]) =>
  chunks.find((c) => c.type === 'finish')?.messageMetadata as Record<string, unknown> | undefined;

describe.each(backends)('human hand-off (%s)', (backend) => {
  let t: TestServer;
  // The customer's replica: another app with its own services and event bus (and, on the server, its own
  // connection pool), sharing the database. PGlite is one process: the same app.
  let other: { app: App; services: Services; database?: Database };
  const maya = () => t.customer('cus_a1f93k');

  beforeAll(async () => {
    t = await createTestServer(backend);
    if (backend === 'postgres') {
      const database = await openDatabase({ databaseUrl: t.database.url!, dataDir: '', poolSize: 2 });
      const services: Services = {
        ...(await createServices(t.config, database, new LocalEmbedder(), silentLogger)),
        ingest: testIngestSettings,
      };
      other = { app: createApp(services), services, database };
    } else {
      other = { app: t.app, services: t.services };
    }
  }, 60_000);
  afterAll(async () => {
    await other?.services.events.close();
    await other?.database?.close();
    await t?.services.events.close();
    await t?.destroy();
  });

  const staffCall = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    t.staffCall(method, path, body);
  const chat = async (app: App, text: string, id: string, headers = maya()) =>
    readUIStream(await t.chat(text, { conversationId: id, headers, app }));

  it('escalate → inbox → take over → live reply on another replica → held → release → the bot answers', async () => {
    const id = crypto.randomUUID();
    // The staff console listens on the first replica.
    const staffStream = sseReader(await staffCall('/api/admin/inbox/events'));
    expect((await staffStream.next()).event).toBe('ready');

    const asked = await chat(t.app, 'Can I talk to a person please?', id);
    expect(finishOf(asked)).toMatchObject({ escalated: true, outcome: 'escalated' });
    await staffStream.next((e) => e.event === 'conversation' && parsed(e).conversationId === id);

    const inbox = (await (await staffCall('/api/admin/inbox?view=unassigned')).json()) as {
      conversations: { id: string; escalationSource: string; customerName: string; waitingSince: string }[];
    };
    const listed = inbox.conversations.find((c) => c.id === id)!;
    expect(listed).toMatchObject({ escalationSource: 'requested', customerName: 'Maya Okonkwo' });
    expect(listed.waitingSince).toBeTruthy();

    // The customer follows the conversation live on the other replica.
    const live = await other.app.request(`/api/conversations/${id}/events`, { headers: maya() });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('text/event-stream');
    const customer = sseReader(live);
    expect(parsed(await customer.next())).toEqual({ status: 'escalated', assignee: null });

    const assigned = await staffCall(`/api/admin/conversations/${id}/assign`, {});
    expect(await assigned.json()).toMatchObject({ assignee: { name: 'tests' }, status: 'escalated' });
    expect(
      parsed(await customer.next((e) => e.event === 'message' && parsed(e).role === 'system')),
    ).toMatchObject({
      role: 'system',
      content: 'tests joined the conversation',
      author: 'tests',
    });
    expect(parsed(await customer.next((e) => e.event === 'conversation'))).toEqual({
      status: 'escalated',
      assignee: 'tests',
    });

    const replied = await staffCall(`/api/admin/conversations/${id}/messages`, {
      text: 'Hi Maya, I can help.',
    });
    expect(replied.status).toBe(200);
    const reply = (await replied.json()) as { id: string };
    expect(
      parsed(await customer.next((e) => e.event === 'message' && parsed(e).role === 'staff')),
    ).toMatchObject({
      id: reply.id,
      role: 'staff',
      author: 'tests',
      content: 'Hi Maya, I can help.',
    });

    // While held, the customer's message is stored and shown to staff, and the bot does not answer.
    const held = await chat(other.app, 'Thanks! My order never arrived.', id);
    expect(textOf(held)).toBe('A member of our team, tests, has this conversation and will reply here.');
    expect(finishOf(held)).toMatchObject({ outcome: 'held' });
    const transcript = (await (await staffCall(`/api/admin/conversations/${id}`)).json()) as {
      messages: { id: string; role: string; content: string }[];
      conversation: { assignee: { name: string } | null; waitingSince: string | null };
    };
    const last = transcript.messages.at(-1)!;
    expect(last).toMatchObject({ role: 'user', content: 'Thanks! My order never arrived.' });
    // The console heard of it live.
    await staffStream.next((e) => e.event === 'message' && parsed(e).messageId === last.id);
    expect(transcript.conversation.assignee?.name).toBe('tests');
    expect(transcript.conversation.waitingSince).toBeTruthy();
    const held2 = (await (
      await other.app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { ...json, ...maya() },
        body: JSON.stringify({
          model: 'parley',
          conversation_id: id,
          messages: [{ role: 'user', content: 'Any news?' }],
        }),
      })
    ).json()) as { choices: { message: { content: string } }[] };
    expect(held2.choices[0]!.message.content).toBe(
      'A member of our team, tests, has this conversation and will reply here.',
    );
    const assistantAnswers = await t.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, id));
    expect(assistantAnswers.filter((m) => m.role === 'assistant')).toHaveLength(1);

    const released = await staffCall(`/api/admin/conversations/${id}/release`, {});
    expect(await released.json()).toMatchObject({ status: 'open', assignee: null });
    expect(
      parsed(await customer.next((e) => e.event === 'message' && parsed(e).role === 'system')),
    ).toMatchObject({
      role: 'system',
      content: 'tests left the conversation',
    });

    const answered = await chat(other.app, 'How do I pair my earbuds?', id);
    expect(finishOf(answered)?.outcome).not.toBe('held');
    expect(textOf(answered)).toMatch(/case/i);

    // The customer's transcript shows staff messages with their author; notes never.
    await staffCall(`/api/admin/conversations/${id}/notes`, { text: 'VIP customer, be quick' });
    const shown = (await (await t.app.request(`/api/conversations/${id}`, { headers: maya() })).json()) as {
      messages: { role: string; author: string | null; content: string }[];
    };
    expect(shown.messages.filter((m) => m.role === 'staff')).toEqual([
      expect.objectContaining({ author: 'tests', content: 'Hi Maya, I can help.' }),
    ]);
    expect(JSON.stringify(shown)).not.toContain('VIP customer');
    const notes = (await (await staffCall(`/api/admin/conversations/${id}/notes`)).json()) as {
      notes: { text: string; author: string }[];
    };
    expect(notes.notes).toEqual([
      expect.objectContaining({ text: 'VIP customer, be quick', author: 'tests' }),
    ]);

    // Resolve with a note; then a reply is refused clearly, and an unknown conversation is not found.
    const resolved = await staffCall(`/api/admin/conversations/${id}/resolve`, {
      note: 'Reshipped the order.',
    });
    expect(await resolved.json()).toMatchObject({ status: 'resolved' });
    const late = await staffCall(`/api/admin/conversations/${id}/messages`, { text: 'Anything else?' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'conflict' });
    const unknown = await staffCall(`/api/admin/conversations/${crypto.randomUUID()}/messages`, {
      text: 'Hi',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not_found' });

    customer.cancel();
    staffStream.cancel();
  }, 60_000);

  it('keeps every new route to its owner: other customers, anonymous visitors and non-staff are refused', async () => {
    const id = crypto.randomUUID();
    await chat(t.app, 'My earbuds will not pair', id);
    await staffCall(`/api/admin/conversations/${id}/notes`, { text: 'secret staff note' });
    const visitor = { 'x-parley-visitor': 'vis_abcdefghijklmnopqrstuv' };
    for (const headers of [t.customer('cus_b27x4d'), visitor, {}]) {
      const events = await t.app.request(`/api/conversations/${id}/events`, { headers });
      expect(events.status).toBe(404);
      expect(await events.text()).not.toContain('secret');
      const shown = await t.app.request(`/api/conversations/${id}`, { headers });
      expect(shown.status).toBe(404);
      for (const [method, path, body] of [
        ['GET', '/api/admin/inbox', undefined],
        ['GET', '/api/admin/inbox/events', undefined],
        ['POST', `/api/admin/conversations/${id}/assign`, {}],
        ['POST', `/api/admin/conversations/${id}/messages`, { text: 'hi' }],
        ['POST', `/api/admin/conversations/${id}/release`, {}],
        ['GET', `/api/admin/conversations/${id}/notes`, undefined],
        ['POST', `/api/admin/conversations/${id}/notes`, { text: 'x' }],
        ['POST', `/api/admin/conversations/${id}/resolve`, {}],
      ] as const) {
        const response = await t.app.request(path, {
          method,
          headers: { ...json, ...headers, ...(headers === visitor ? {} : maya()) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(await response.text()).not.toContain('secret');
      }
    }
    // The owner's own stream never carries notes.
    const own = sseReader(await t.app.request(`/api/conversations/${id}/events`, { headers: maya() }));
    await own.next();
    await staffCall(`/api/admin/conversations/${id}/notes`, { text: 'another secret note' });
    await staffCall(`/api/admin/conversations/${id}/messages`, { text: 'A visible reply' });
    expect(parsed(await own.next((e) => e.event === 'message' && parsed(e).role === 'staff')).content).toBe(
      'A visible reply',
    );
    expect(own.events.map((e) => e.data).join('\n')).not.toContain('secret');
    own.cancel();
  }, 60_000);

  it('hand-off rules: a safety report escalates and the answer begins with the safety instruction', async () => {
    const id = crypto.randomUUID();
    const chunks = await chat(t.app, 'My hub is smoking and smells like burning plastic', id);
    expect(textOf(chunks).startsWith(defaultSafetyInstruction)).toBe(true);
    expect(finishOf(chunks)).toMatchObject({ escalated: true, outcome: 'escalated' });
    const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ status: 'escalated', escalationSource: 'rule' });
    expect(row!.escalationReason).toMatch(/^Safety issue reported/);
    const stored = await t.database.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.find((m) => m.role === 'assistant')!.content.startsWith(defaultSafetyInstruction)).toBe(
      true,
    );

    const calm = crypto.randomUUID();
    const fine = await chat(t.app, 'Sue from accounting asked about a hot deal', calm);
    expect(textOf(fine).startsWith(defaultSafetyInstruction)).toBe(false);
    const [calmRow] = await t.database.db.select().from(conversations).where(eq(conversations.id, calm));
    expect(calmRow!.status).toBe('open');
  }, 60_000);

  it('the agent abstaining twice, and a thumbs-down, send the conversation to a person', async () => {
    const id = crypto.randomUUID();
    const first = await chat(t.app, 'What is the airspeed velocity of an unladen swallow?', id);
    expect(finishOf(first)).toMatchObject({ outcome: 'abstained', escalated: false });
    const second = await chat(t.app, 'Which moon of Jupiter has the thickest ice shell?', id);
    expect(finishOf(second)).toMatchObject({ outcome: 'abstained', escalated: true });
    const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ status: 'escalated', escalationSource: 'abstained' });

    const rated = crypto.randomUUID();
    const answer = await chat(t.app, 'How do I pair my earbuds?', rated);
    const feedback = await t.app.request('/api/feedback', {
      method: 'POST',
      headers: { ...json, ...maya() },
      body: JSON.stringify({
        messageId: finishOf(answer)!.messageId,
        rating: 'down',
        reason: 'Did not work',
      }),
    });
    expect(feedback.status).toBe(200);
    const [ratedRow] = await t.database.db.select().from(conversations).where(eq(conversations.id, rated));
    expect(ratedRow).toMatchObject({ status: 'escalated', escalationSource: 'thumbs_down' });
  }, 60_000);

  it(`lets one caller hold at most ${maxStreamsPerCaller} live streams, and frees a place when one closes`, async () => {
    const id = crypto.randomUUID();
    await chat(t.app, 'My earbuds will not pair', id);
    const customerStream = () => t.app.request(`/api/conversations/${id}/events`, { headers: maya() });
    const open = [];
    for (let i = 0; i < maxStreamsPerCaller; i++) {
      const response = await customerStream();
      expect(response.status).toBe(200);
      open.push(sseReader(response));
    }
    await Promise.all(open.map((s) => s.next()));
    const refused = await customerStream();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
    // Other callers are not held back by this one: the staff inbox still opens.
    const staff = await staffCall('/api/admin/inbox/events');
    expect(staff.status).toBe(200);
    const staffStream = sseReader(staff);
    await staffStream.next();
    await open.shift()!.cancel();
    let again = await customerStream();
    for (let tries = 0; again.status === 429 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await customerStream();
    }
    expect(again.status).toBe(200);
    open.push(sseReader(again));
    await Promise.all([...open, staffStream].map((s) => s.cancel()));
    await Promise.all([...open, staffStream].map((s) => s.pump));
  }, 60_000);

  // Shutdown goes through the embedded server's close path (`startServer` with a data dir); the Postgres
  // listener's own close is covered in src/support/inbox.test.ts.
  it.runIf(backend === 'pglite')(
    'open event streams end on shutdown instead of holding it up',
    async () => {
      const id = crypto.randomUUID();
      await chat(t.app, 'My earbuds will not pair', id);
      const running = await startServer(other.services, { port: 0, host: '127.0.0.1' });
      const response = await fetch(`${running.url}/api/conversations/${id}/events`, { headers: maya() });
      const stream = sseReader(response);
      await stream.next();
      const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
      expect(row!.customerSeenAt).not.toBeNull();
      const started = Date.now();
      await running.close(10_000);
      expect(Date.now() - started).toBeLessThan(3000);
      await stream.pump;
      expect(stream.done).toBe(true);
      const [after] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
      expect(after!.customerSeenAt).toBeNull();
    },
    30_000,
  );
});
