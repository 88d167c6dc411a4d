import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAgentData } from '../../test/support/agent-fixture.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { type Citation, conversations, messages, qaPairs, solutions } from '../db/schema/index.ts';
import { appendMessage, startConversation } from '../support/conversations.ts';
import { findCustomer } from '../support/customers.ts';
import { newVisitorId } from '../support/identity.ts';
import { generateQaPairs } from './qa-generate.ts';
import {
  approveAllDrafts,
  approveQaPair,
  countQaPairs,
  editQaPair,
  listQaPairs,
  rejectQaPair,
} from './qa-review.ts';
import { splitFor } from './splits.ts';

const docs = {
  'guides/perch-hub.md': `# Perch Smart Home Hub: Setup

The Perch hub runs your smart home locally.

## Resetting the hub

1. Hold the reset button on the back for 10 seconds until the ring flashes amber.
2. Release the button and wait for the ring to pulse blue.
3. Set the hub up again in the Kestrel Connect app.

## Where to put the hub

Central in the home, at table height or higher, and at least 1 m from your Wi-Fi router.
`,
};

describe.each(backends)('Q&A pairs on %s', (backend) => {
  let database: TestDatabase;
  let mayaConversation: string;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await seedAgentData(database, docs);
    const maya = (await findCustomer(database.db, 'cus_a1f93k'))!;
    const db = database.db;

    // A customer conversation resolved by its last answer, which follows up on an earlier question.
    const c1 = await startConversation(
      db,
      { kind: 'customer', customerId: maya.id, externalId: maya.externalId, name: maya.name },
      'web',
    );
    mayaConversation = c1.id;
    const citation: Citation = {
      source: '/docs/flit.md',
      documentId: crypto.randomUUID(),
      versionId: crypto.randomUUID(),
      chunkId: crypto.randomUUID(),
      heading: 'Android',
    };
    await appendMessage(db, {
      conversationId: c1.id,
      role: 'user',
      content: "Hi, I'm Maya. My Flit 2 earbuds won't pair with my phone.",
    });
    await appendMessage(db, {
      conversationId: c1.id,
      role: 'assistant',
      content: 'Hold the case button for three seconds, Maya.',
    });
    await appendMessage(db, {
      conversationId: c1.id,
      role: 'user',
      content: 'Does it work with Android phones?',
    });
    await appendMessage(db, {
      conversationId: c1.id,
      role: 'assistant',
      content: 'Yes: Android phones with Fast Pair show a pop-up [S1]. Your order KE-100118 includes them.',
      parts: [
        {
          type: 'tool',
          name: 'get_order_status',
          input: { orderId: 'KE-100118' },
          output: {
            order: { id: 'KE-100118', tracking: '1ZK7E4190312845521', email: 'maya.okonkwo@example.com' },
          },
        },
      ],
      citations: [citation],
    });
    await db.update(conversations).set({ status: 'resolved' }).where(eq(conversations.id, c1.id));

    // A conversation a member of staff resolved (the inbox stores their replies with role `staff`).
    const c2 = await startConversation(db, { kind: 'visitor', visitorId: newVisitorId() }, 'widget');
    await appendMessage(db, {
      conversationId: c2.id,
      role: 'user',
      content: 'Can I change the address on my order?',
    });
    await db.insert(messages).values({
      conversationId: c2.id,
      role: 'staff' as 'assistant',
      content:
        'Yes, until it ships: reply with the new address and we update it. Call +1-312-555-0148 if urgent.',
    });
    await db.update(conversations).set({ status: 'resolved' }).where(eq(conversations.id, c2.id));

    // Not used: still open, or rated badly.
    const open = await startConversation(db, { kind: 'visitor', visitorId: newVisitorId() }, 'web');
    await appendMessage(db, { conversationId: open.id, role: 'user', content: 'Where is the store?' });
    await appendMessage(db, { conversationId: open.id, role: 'assistant', content: 'We sell online only.' });
    const bad = await startConversation(db, { kind: 'visitor', visitorId: newVisitorId() }, 'web');
    await appendMessage(db, { conversationId: bad.id, role: 'user', content: 'Why is the sky blue?' });
    await appendMessage(db, { conversationId: bad.id, role: 'assistant', content: 'Rayleigh scattering.' });
    await db.update(conversations).set({ status: 'resolved', rating: 1 }).where(eq(conversations.id, bad.id));

    // An approved solution asking what a document section also answers: the reviewed solution wins.
    await db.insert(solutions).values({
      problem: 'How do I reset my hub?',
      resolution: 'Hold the reset button for 10 seconds until the ring flashes amber, then set it up again.',
      status: 'approved',
    });
    await db.insert(solutions).values({ problem: 'Unreviewed', resolution: 'Not used', status: 'suggested' });
  });
  afterAll(() => database?.destroy());

  it('proposes drafts from conversations, solutions and documents, merging near-duplicates', async () => {
    const report = await generateQaPairs({ db: database.db });
    expect(report.bySource).toEqual({ conversation: 2, solution: 1, document: expect.any(Number) });
    expect(report.duplicates).toBeGreaterThanOrEqual(1);
    const pairs = await listQaPairs(database.db, { status: 'draft' });
    const questions = pairs.map((p) => p.question);
    // The reviewed solution is kept; the document's "How do I reset the hub?" merged into it.
    expect(questions).toContain('How do I reset my hub?');
    expect(questions).not.toContain('How do I reset the hub?');
    expect(questions).toContain('Where should I put the hub?');
    expect(questions.some((q) => /sky/.test(q))).toBe(false);
    expect(questions.some((q) => /store/.test(q))).toBe(false);
  });

  it('makes a follow-up stand-alone, keeps its citations and tool calls, and scrubs personal data', async () => {
    const [pair] = await database.db.select().from(qaPairs).where(eq(qaPairs.sourceId, mayaConversation));
    expect(pair!.question).toBe('Does the Kestrel Flit 2 Noise-Cancelling Earbuds work with Android phones?');
    expect(pair!.answer).toBe(
      'Yes: Android phones with Fast Pair show a pop-up [S1]. Your order [ORDER_1] includes them.',
    );
    expect(pair!.citations).toHaveLength(1);
    expect(pair!.transcript).toEqual([
      { role: 'user', content: "Hi, I'm [NAME_1]. My Flit 2 earbuds won't pair with my phone." },
      { role: 'assistant', content: 'Hold the case button for three seconds, [NAME_1].' },
      { role: 'user', content: 'Does it work with Android phones?' },
      {
        role: 'tool_call',
        calls: [
          {
            name: 'get_order_status',
            input: { orderId: '[ORDER_1]' },
            output: { order: { id: '[ORDER_1]', tracking: '[TRACKING_1]', email: '[EMAIL_1]' } },
          },
        ],
      },
    ]);
    const staff = (await listQaPairs(database.db, { source: 'conversation' })).find((p) =>
      /address/.test(p.question),
    );
    expect(staff).toMatchObject({
      answer: expect.stringContaining('Call [PHONE_1] if urgent'),
      quality: 0.9,
    });
  });

  it('turns procedure headings into questions when no model is configured', async () => {
    const [reset] = await database.db
      .select()
      .from(qaPairs)
      .where(eq(qaPairs.sourceLabel, 'Perch Smart Home Hub: Setup > Where to put the hub'));
    expect(reset).toMatchObject({ sourceType: 'document', generator: 'rules' });
    expect(reset!.answer).toMatch(/^Central in the home/);
    expect(reset!.citations[0]).toMatchObject({ heading: expect.stringContaining('Where to put the hub') });
  });

  it('proposes nothing new when run again', async () => {
    const before = await countQaPairs(database.db);
    const report = await generateQaPairs({ db: database.db });
    expect(report.created).toBe(0);
    expect(await countQaPairs(database.db)).toEqual(before);
  });

  it('reviews pairs: approve with a stable split, edit with scrubbing, reject, approve all', async () => {
    const drafts = await listQaPairs(database.db, { status: 'draft' });
    const [first, second, ...rest] = drafts;
    const approved = await approveQaPair(database.db, first!.id, 'sam', { answer: 'Edited answer.' });
    expect(approved).toMatchObject({
      status: 'approved',
      split: splitFor(first!.question),
      answer: 'Edited answer.',
    });
    const edited = await editQaPair(
      database.db,
      first!.id,
      { question: 'Email me at sam@example.com?' },
      'sam',
    );
    expect(edited).toMatchObject({
      question: 'Email me at [EMAIL_1]?',
      split: approved!.split,
      reviewedBy: 'sam',
    });
    expect(await rejectQaPair(database.db, second!.id, 'sam')).toMatchObject({ status: 'rejected' });
    expect(await approveAllDrafts(database.db, 'sam')).toBe(rest.length);
    const counts = await countQaPairs(database.db);
    expect(counts).toMatchObject({ draft: 0, rejected: 1, approved: drafts.length - 1 });
    expect(counts.train + counts.validation + counts.test).toBe(counts.approved);
    expect(await approveQaPair(database.db, crypto.randomUUID(), 'sam')).toBeUndefined();
  });
});
