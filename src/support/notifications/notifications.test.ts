import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { testIngestSettings } from '../../../test/support/files.ts';
import { loadConfig } from '../../config.ts';
import { queryRows } from '../../db/client.ts';
import { type JobQueue, openQueue } from '../../jobs/queue.ts';
import { jobStatus } from '../../jobs/status.ts';
import { waitFor } from '../../jobs/wait.fixture.ts';
import { startWorker } from '../../jobs/worker.ts';
import { LocalEmbedder } from '../../knowledge/embed/index.ts';
import { saveCompanyProfile } from '../company-profile.ts';
import { saveContactEmail } from '../conversation-contact.ts';
import { appendMessage, startConversation } from '../conversations.ts';
import type { Identity } from '../identity.ts';
import { notifyConversationEvent, verifyWebhookSignature, type WebhookPayload } from './index.ts';

const secret = 'whsec-test-0123456789abcdef';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that answers with the given statuses in turn (then 200). */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  answer: number[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const answer: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/parley`,
    received,
    answer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server on loopback that keeps every message it is given. */
async function startSmtp(): Promise<{ url: string; mails: Mail[]; close: () => Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
          .toString('utf8')
          // Undo quoted-printable soft line breaks and escapes, so assertions read plain text.
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The notification settings an environment gives, as the server and worker read them. */
const notificationsFrom = (env: Record<string, string>) =>
  loadConfig({}, { PARLEY_DATA_DIR: '/tmp/parley-notify-test', ...env }).server;

describe.each(backends)('hand-off notifications on %s', (backend) => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let queue: JobQueue | undefined;
  let customer: Identity;
  let conversationId: string;
  let customerMessageId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    receiver = await startReceiver();
    smtp = await startSmtp();
    const [row] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO customers (external_id, email, name)
          VALUES ('cus_maya', 'maya@example.com', 'Maya Okonkwo') RETURNING id`,
    );
    customer = { kind: 'customer', customerId: row!.id, externalId: 'cus_maya', name: 'Maya Okonkwo' };
    const conversation = await startConversation(database.db, customer, 'web');
    conversationId = conversation.id;
    customerMessageId = (
      await appendMessage(database.db, {
        conversationId,
        role: 'user',
        content: 'My hub smells like burning plastic',
      })
    ).id;
    await database.db.execute(
      sql`UPDATE conversations SET status = 'escalated', escalation_reason = 'Safety: burning smell',
            escalation_source = 'rule', escalated_at = now() WHERE id = ${conversationId}`,
    );
    await saveCompanyProfile(database.db, {
      name: 'Kestrel Electronics',
      supportEmail: 'support@kestrel.example',
    });
  });
  afterAll(async () => {
    await queue?.close();
    await receiver?.close();
    await smtp?.close();
    await database?.destroy();
  });

  it('posts a JSON event signed over its raw body, with no secrets in it', async () => {
    const config = notificationsFrom({ PARLEY_WEBHOOK_URL: receiver.url, PARLEY_WEBHOOK_SECRET: secret });
    await notifyConversationEvent(
      { db: database.db, config },
      { type: 'conversation.escalated', conversationId, reason: 'Safety: burning smell' },
    );
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received.pop()!;
    // The receiver's check, done by hand and with the exported helper.
    const expected = crypto.createHmac('sha256', secret).update(body).digest('hex');
    expect(headers['x-parley-signature']).toBe(`sha256=${expected}`);
    expect(verifyWebhookSignature(secret, body, headers['x-parley-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature(secret, `${body} `, headers['x-parley-signature'] as string)).toBe(false);
    expect(headers['x-parley-event']).toBe('conversation.escalated');
    const payload = JSON.parse(body) as WebhookPayload;
    expect(payload).toEqual({
      type: 'conversation.escalated',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: expect.any(String),
      conversation: {
        id: conversationId,
        status: 'escalated',
        title: 'My hub smells like burning plastic',
        customer: { id: 'cus_maya', name: 'Maya Okonkwo', email: 'maya@example.com' },
        escalationReason: 'Safety: burning smell',
      },
    });
    expect(headers['x-parley-delivery']).toBe(payload.id);
    expect(body).not.toContain(secret);
    expect(body).not.toContain(customer.kind === 'customer' ? customer.customerId : '');
  });

  it('sends the customer message while held, and no webhook for a staff reply', async () => {
    const config = notificationsFrom({ PARLEY_WEBHOOK_URL: receiver.url });
    await notifyConversationEvent(
      { db: database.db, config },
      { type: 'conversation.message', conversationId, messageId: customerMessageId },
    );
    await notifyConversationEvent(
      { db: database.db, config },
      { type: 'conversation.staff_reply', conversationId, messageId: customerMessageId },
    );
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received.pop()!;
    // Without a secret nothing is signed.
    expect(headers['x-parley-signature']).toBeUndefined();
    expect(JSON.parse(body)).toMatchObject({
      type: 'conversation.message',
      message: { id: customerMessageId, role: 'user', text: 'My hub smells like burning plastic' },
    });
  });

  it('speaks Slack: a {text} body with the reason, the message and a console link', async () => {
    const config = notificationsFrom({
      PARLEY_WEBHOOK_URL: receiver.url,
      PARLEY_WEBHOOK_FORMAT: 'slack',
      PARLEY_PUBLIC_URL: 'https://support.kestrel.example/',
    });
    await notifyConversationEvent(
      { db: database.db, config },
      { type: 'conversation.escalated', conversationId, messageId: customerMessageId },
    );
    const body = JSON.parse(receiver.received.pop()!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['text']);
    const text = body.text as string;
    expect(text).toContain('*A conversation needs a person*: Maya Okonkwo · maya@example.com');
    expect(text).toContain('Reason: Safety: burning smell');
    expect(text).toContain('> My hub smells like burning plastic');
    expect(text).toContain(
      `<https://support.kestrel.example/admin/conversations/${conversationId}|Open in Parley>`,
    );
  });

  it('never throws into the caller when the receiver is unreachable', async () => {
    const config = notificationsFrom({ PARLEY_WEBHOOK_URL: 'http://127.0.0.1:9/nothing-listens-here' });
    const logged: string[] = [];
    await expect(
      notifyConversationEvent(
        { db: database.db, config, log: (l) => logged.push(l) },
        { type: 'conversation.resolved', conversationId },
      ),
    ).resolves.toBeUndefined();
    expect(logged).toEqual([
      expect.stringMatching(/webhook for conversation.resolved .* failed: request failed/),
    ]);
    expect(logged[0]).not.toContain('nothing-listens-here');
  });

  it('delivers through the job queue: a 500 is retried until it succeeds, a 400 is not', async () => {
    const env = { PARLEY_WEBHOOK_URL: receiver.url, PARLEY_WEBHOOK_SECRET: secret };
    queue = await openQueue(database, { role: 'worker', superviseIntervalSeconds: 2 });
    // The catalog waits 5-10 s before the first retry; a second here keeps the test short.
    await queue.boss.updateQueue('notify.deliver', { retryDelay: 1 });
    await startWorker(
      {
        db: database.db,
        embedder: new LocalEmbedder(),
        queue,
        settings: testIngestSettings,
        log: () => {},
        config: loadConfig({}, { PARLEY_DATA_DIR: '/tmp/parley-notify-test', ...env }),
      },
      { concurrency: 1, pollingIntervalSeconds: 0.5 },
    );
    const deps = { db: database.db, queue, config: notificationsFrom(env) };
    const counts = async () =>
      (await jobStatus(database.db)).queues.find((q) => q.name === 'notify.deliver')!.counts;

    receiver.answer.push(500);
    await notifyConversationEvent(deps, { type: 'conversation.resolved', conversationId });
    await waitFor(async () => (await counts()).completed === 1, 30_000);
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received.splice(0);
    // The retry is the same event: same id, same body, same signature.
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['x-parley-signature']).toBe(first!.headers['x-parley-signature']);
    expect(
      verifyWebhookSignature(secret, second!.body, second!.headers['x-parley-signature'] as string),
    ).toBe(true);

    receiver.answer.push(400);
    await notifyConversationEvent(deps, { type: 'conversation.resolved', conversationId });
    await waitFor(async () => (await counts()).failed === 1, 30_000);
    // Wait past the retry delay: a refused request is not tried again.
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.received).toHaveLength(1);
    expect((await counts()).failed).toBe(1);
    receiver.received.splice(0);
  });

  it('emails staff on escalation with the reason, the last messages and a console link', async () => {
    const config = notificationsFrom({
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_MAIL_FROM: 'Parley <parley@kestrel.example>',
      PARLEY_STAFF_EMAIL: 'support@kestrel.example, lead@kestrel.example',
      PARLEY_PUBLIC_URL: 'https://support.kestrel.example',
    });
    await notifyConversationEvent(
      { db: database.db, config },
      { type: 'conversation.escalated', conversationId },
    );
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails.pop()!;
    expect(mail.from).toBe('parley@kestrel.example');
    expect(mail.to).toEqual(['support@kestrel.example', 'lead@kestrel.example']);
    expect(mail.raw).toContain('Subject: Needs a person: My hub smells like burning plastic');
    expect(mail.raw).toContain('Customer: Maya Okonkwo <maya@example.com>');
    expect(mail.raw).toContain('Reason: Safety: burning smell');
    expect(mail.raw).toContain('Customer: My hub smells like burning plastic');
    expect(mail.raw).toContain(`https://support.kestrel.example/admin/conversations/${conversationId}`);
  });

  it('emails a staff reply to a customer who has left, and not to one still in the chat', async () => {
    const config = notificationsFrom({
      PARLEY_SMTP_URL: smtp.url,
      PARLEY_STAFF_EMAIL: 'support@kestrel.example',
    });
    const [reply] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO messages (conversation_id, role, content, author_name)
          VALUES (${conversationId}, 'staff', 'Please unplug the hub now; a replacement is on its way.', 'Alex')
          RETURNING id`,
    );
    const event = { type: 'conversation.staff_reply' as const, conversationId, messageId: reply!.id };

    // Connected to this server: the reply is on their screen already.
    await notifyConversationEvent({ db: database.db, config, isWatched: () => true }, event);
    // Connected to another replica, which keeps `customer_seen_at` fresh.
    await database.db.execute(
      sql`UPDATE conversations SET customer_seen_at = now() WHERE id = ${conversationId}`,
    );
    await notifyConversationEvent({ db: database.db, config }, event);
    expect(smtp.mails).toHaveLength(0);

    await database.db.execute(
      sql`UPDATE conversations SET customer_seen_at = now() - interval '10 minutes' WHERE id = ${conversationId}`,
    );
    await notifyConversationEvent({ db: database.db, config }, event);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails.pop()!;
    expect(mail.to).toEqual(['maya@example.com']);
    expect(mail.raw).toContain('Subject: Kestrel Electronics replied: My hub smells like burning plastic');
    expect(mail.raw).toContain('Reply-To: support@kestrel.example');
    expect(mail.raw).toContain('Hello Maya Okonkwo,');
    expect(mail.raw).toContain('Alex from Kestrel Electronics replied to your conversation');
    expect(mail.raw).toContain('Please unplug the hub now; a replacement is on its way.');
  });

  it('emails an anonymous visitor at the address they left in the chat', async () => {
    const config = notificationsFrom({ PARLEY_SMTP_URL: smtp.url });
    const visitor: Identity = { kind: 'visitor', visitorId: 'vis_notifytest0001' };
    const conversation = await startConversation(database.db, visitor, 'widget');
    await appendMessage(database.db, {
      conversationId: conversation.id,
      role: 'user',
      content: 'Where is my refund?',
    });
    const [reply] = await queryRows<{ id: string }>(
      database.db,
      sql`INSERT INTO messages (conversation_id, role, content, author_name)
          VALUES (${conversation.id}, 'staff', 'It left our bank today.', 'Sam') RETURNING id`,
    );
    const event = {
      type: 'conversation.staff_reply' as const,
      conversationId: conversation.id,
      messageId: reply!.id,
    };

    // No email yet: nothing to send.
    await notifyConversationEvent({ db: database.db, config }, event);
    expect(smtp.mails).toHaveLength(0);

    await saveContactEmail(database.db, visitor, conversation.id, 'visitor@example.org');
    await notifyConversationEvent({ db: database.db, config }, event);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails.pop()!;
    expect(mail.to).toEqual(['visitor@example.org']);
    expect(mail.raw).toContain('Hello,');
    expect(mail.raw).toContain('Sam from Kestrel Electronics replied');
    expect(mail.raw).toContain('It left our bank today.');
  });
});
