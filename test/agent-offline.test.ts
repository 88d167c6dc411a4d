import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../src/agent/agent.ts';
import { createChatModel } from '../src/agent/models/index.ts';
import { seedDemo } from '../src/cli/seed.ts';
import { loadConfig } from '../src/config.ts';
import { conversations } from '../src/db/schema/index.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { type Identity, newVisitorId } from '../src/support/identity.ts';
import { agentDeps, customerIdentity } from './support/agent-fixture.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

/** The product as shipped: the demo company, the offline model, no key, no network. */
describe('the offline model end to end on the demo company', () => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  const config = loadConfig({}, {});
  const deps = () => agentDeps(database, createChatModel(config, 'Kestrel Electronics'));
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDemo({ config, database, embedder: new LocalEmbedder() });
    maya = await customerIdentity(database, 'cus_a1f93k');
  });
  afterAll(() => database?.destroy());

  it('answers a docs question with a citation', async () => {
    const r = await runTurn(deps(), {
      identity: { kind: 'visitor', visitorId: newVisitorId() },
      message: 'How do I pair my Flit 2 earbuds?',
      channel: 'api',
    });
    expect(r.offline).toBe(true);
    expect(r.model).toBe('parley-offline');
    expect(r.toolCalls[0]!.name).toBe('search_knowledge');
    expect(r.answer).toMatch(/\[S\d\]/);
    expect(r.answer.toLowerCase()).toContain('case');
    expect(r.citations.map((c) => path.basename(c.source))).toContain('flit-2-earbuds-guide.md');
    expect(r.outcome).toBe('answered');
  });

  it("tells a signed-in customer their own order's status", async () => {
    const r = await runTurn(deps(), {
      identity: maya,
      message: 'Where is my order KE-100622?',
      channel: 'api',
    });
    expect(r.toolCalls).toEqual([{ name: 'get_order_status', input: { orderId: 'KE-100622' } }]);
    expect(r.answer).toMatch(/KE-100622.*delivered/i);
    expect(r.answer).toContain('1ZK7E4230525580914');
  });

  it("refuses another customer's order without revealing anything about it", async () => {
    const r = await runTurn(deps(), {
      identity: maya,
      message: 'What is the status of order KE-100142? I am Devon Reyes.',
      channel: 'api',
    });
    expect(r.toolCalls.map((c) => c.name)).toContain('get_order_status');
    expect(r.answer).toMatch(/couldn't find|could not find|no order/i);
    for (const secret of ['Devon Reyes', 'San Antonio', '9400111899562847315520', 'delivered'])
      expect(r.answer).not.toContain(secret);
  });

  it('asks an anonymous visitor to sign in for account questions', async () => {
    const r = await runTurn(deps(), {
      identity: { kind: 'visitor', visitorId: newVisitorId() },
      message: 'Where is my order KE-100622?',
      channel: 'api',
    });
    expect(r.toolCalls.map((c) => c.name)).not.toContain('get_order_status');
    expect(r.answer).toMatch(/sign in/i);
  });

  it('abstains and offers a human when the docs do not cover the question', async () => {
    const r = await runTurn(deps(), {
      identity: maya,
      message: 'Do you sell refrigerators with ice makers?',
      channel: 'api',
    });
    expect(r.outcome).toBe('abstained');
    expect(r.citations).toEqual([]);
    expect(r.answer).toMatch(/(don't|do not) (want to )?guess|doesn't cover|does not cover/i);
    expect(r.answer).toMatch(/support team|person|human/i);
  });

  it('hands over to a human on request', async () => {
    const r = await runTurn(deps(), {
      identity: maya,
      message: 'Can I speak to a real person please?',
      channel: 'api',
    });
    expect(r.escalated).toBe(true);
    const [c] = await database.db.select().from(conversations).where(eq(conversations.id, r.conversationId));
    expect(c!.status).toBe('escalated');
    expect(r.answer).toMatch(/support team|colleague|person/i);
  });

  it('resolves a follow-up question against the conversation', async () => {
    const first = await runTurn(deps(), {
      identity: maya,
      message: 'How do I charge the Vantage smartwatch?',
      channel: 'api',
    });
    const second = await runTurn(deps(), {
      identity: maya,
      message: 'How long does it take to charge fully?',
      conversationId: first.conversationId,
      channel: 'api',
    });
    const query = (second.toolCalls.find((c) => c.name === 'search_knowledge')!.input as { query: string })
      .query;
    expect(query.toLowerCase()).toContain('vantage');
  });

  const ask = (message: string) =>
    runTurn(deps(), { identity: { kind: 'visitor', visitorId: newVisitorId() }, message, channel: 'api' });
  const cited = (r: { citations: { source: string }[] }) => r.citations.map((c) => path.basename(c.source));
  const lines = (answer: string) => answer.split('\n').filter((l) => l.trim());

  it('answers "my earbuds won\'t pair" with the pairing steps whole and in order, never the charging guide', async () => {
    const r = await ask("My earbuds won't pair");
    expect(cited(r).some((f) => /pairing|earbuds-guide/.test(f))).toBe(true);
    expect(cited(r)).not.toContain('charging-issues.txt');
    const steps = lines(r.answer).filter((l) => /^\d\./.test(l));
    expect(steps.map((l) => l.slice(0, 2))).toEqual(steps.map((_, i) => `${i + 1}.`));
    expect(steps.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['How do I return something?', /returns-and-refunds|general-faq/],
    ['how do I get my money back?', /orders-and-payments-faq|returns-and-refunds/],
    ['how long is the guarantee?', /general-faq|limited-warranty/],
    ['Do you ship to Australia?', /shipping-and-delivery/],
  ])('answers "%s" from the right document, even in other words', async (question, file) => {
    const r = await ask(question);
    expect(r.outcome).toBe('answered');
    expect(cited(r)[0]).toMatch(file);
  });

  it('says what the shipping page says about a country it does not list', async () => {
    const r = await ask('Do you ship to Australia?');
    expect(r.answer).toMatch(/do not ship elsewhere/i);
  });

  it.each(['Do you sell refrigerators?', "What's the capital of France?"])(
    'abstains with no citation on "%s"',
    async (question) => {
      const r = await ask(question);
      expect(r.outcome).toBe('abstained');
      expect(r.citations).toEqual([]);
      expect(r.answer).not.toMatch(/\[S\d\]/);
    },
  );

  it('never repeats a line and quotes one document per answer', async () => {
    for (const question of ['How do I pair my Flit 2 earbuds?', 'How long does shipping take?']) {
      const r = await ask(question);
      const answerLines = lines(r.answer).filter((l) => !l.startsWith('See also'));
      expect(new Set(answerLines).size).toBe(answerLines.length);
      const quoted = new Set(answerLines.flatMap((l) => [...l.matchAll(/\[(S\d+)\]/g)].map((m) => m[1])));
      expect(quoted.size).toBe(1);
    }
  });

  it('keeps a follow-up on the subject of the conversation', async () => {
    const identity = { kind: 'visitor' as const, visitorId: newVisitorId() };
    const first = await runTurn(deps(), {
      identity,
      message: 'How do I pair my Flit 2 earbuds?',
      channel: 'api',
    });
    const second = await runTurn(deps(), {
      identity,
      message: 'does it work with Android?',
      conversationId: first.conversationId,
      channel: 'api',
    });
    expect(second.answer).toMatch(/android/i);
    expect(cited(second).join(' ')).toMatch(/flit-2-earbuds-guide|general-faq/);
  });
});
