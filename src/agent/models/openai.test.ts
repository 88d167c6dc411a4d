import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  agentDeps,
  agentDocs,
  customerIdentity,
  seedAgentData,
} from '../../../test/support/agent-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { type FakeOpenAI, startFakeOpenAI, toolResults } from '../../../test/support/fake-openai.ts';
import { agentRuns, conversations, messages } from '../../db/schema/index.ts';
import { type Identity, newVisitorId } from '../../support/identity.ts';
import { runTurn } from '../agent.ts';
import { createSummariser } from '../summarise.ts';
import { createChatModel } from './index.ts';

type Passages = { passages: { ref: string; text: string }[] };

describe('the OpenAI chat model in real agent turns, against a local fake of the API', () => {
  let database: TestDatabase;
  let fake: FakeOpenAI;
  let maya: Identity & { kind: 'customer' };
  const visitor = (): Identity => ({ kind: 'visitor', visitorId: newVisitorId() });
  const deps = () =>
    agentDeps(
      database,
      createChatModel({
        openai: { apiKey: 'sk-test', baseURL: fake.baseURL },
        agent: { chatModel: 'gpt-4.1-mini', maxSteps: 5, historyTokens: 3000, abstainThreshold: 0.5 },
      }),
    );
  const storedMessages = (conversationId: string) =>
    database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.createdAt));

  beforeAll(async () => {
    [database, fake] = await Promise.all([createTestDatabase('pglite'), startFakeOpenAI()]);
    await seedAgentData(database, agentDocs);
    maya = await customerIdentity(database, 'cus_a1f93k');
  });
  afterAll(() => Promise.all([database?.destroy(), fake?.close()]));
  beforeEach(() => fake.reset());

  it('searches the docs, answers from the tool result it was sent, and cites the passage', async () => {
    fake.scriptChat([
      {
        toolCalls: [{ name: 'search_knowledge', arguments: { query: 'earbuds will not pair' } }],
        usage: { promptTokens: 410, completionTokens: 22 },
      },
      (body) => {
        const first = (toolResults(body)[0]!.content as Passages).passages[0]!;
        return {
          text: `${first.text.split('.')[0]}. [${first.ref}]`,
          usage: { promptTokens: 905, completionTokens: 31 },
        };
      },
    ]);
    const result = await runTurn(deps(), {
      identity: visitor(),
      message: 'My earbuds will not pair',
      channel: 'web',
    });

    expect(result.answer).toMatch(/hold the case button for three seconds[\s\S]*\[S1\]$/i);
    expect(result.citations).toHaveLength(1);
    expect(result.citations[0]).toMatchObject({ heading: 'Earbuds will not pair' });
    expect(result.citations[0]!.source).toMatch(/pairing\.md$/);
    expect(result).toMatchObject({
      outcome: 'answered',
      model: 'openai:gpt-4.1-mini',
      offline: false,
      toolCalls: [{ name: 'search_knowledge', input: { query: 'earbuds will not pair' } }],
      usage: { inputTokens: 410 + 905, outputTokens: 22 + 31 },
    });

    const [first, second] = fake.chatRequests();
    expect(fake.chatRequests()).toHaveLength(2);
    expect(fake.requests.every((r) => r.authorization === 'Bearer sk-test')).toBe(true);
    expect(first).toMatchObject({
      model: 'gpt-4.1-mini',
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: 'auto',
    });
    const search = first!.tools!.find((t) => t.function.name === 'search_knowledge')!;
    expect(search.function.parameters).toMatchObject({
      type: 'object',
      properties: { query: { type: 'string' } },
      required: ['query'],
    });
    // An anonymous visitor's model is not even told about the account tools.
    expect(first!.tools!.map((t) => t.function.name)).not.toContain('get_order_status');

    const system = second!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('cite documentation passages with their markers');
    expect(second!.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ type: 'function', function: { name: 'search_knowledge' } }],
    });
    const [sent] = toolResults(second!);
    expect(sent).toMatchObject({ name: 'search_knowledge' });
    expect(JSON.stringify(sent!.content)).toMatch(/hold the case button for three seconds/);

    const stored = await storedMessages(result.conversationId);
    expect(stored[1]).toMatchObject({
      role: 'assistant',
      content: result.answer,
      model: 'openai:gpt-4.1-mini',
      inputTokens: 1315,
    });
  });

  it('streams the answer to onText in order and stores exactly what was streamed', async () => {
    const pieces = ['Returns are free ', 'within 30 days ', 'of delivery; ', 'refunds take 5 business days.'];
    fake.scriptChat([{ text: pieces }]);
    const streamed: string[] = [];
    const result = await runTurn(
      deps(),
      { identity: maya, message: 'How do returns work?', channel: 'web' },
      (d) => streamed.push(d),
    );

    expect(streamed).toEqual(pieces);
    expect(result.answer).toBe(pieces.join(''));
    const stored = await storedMessages(result.conversationId);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['user', 'How do returns work?'],
      ['assistant', streamed.join('')],
    ]);
  });

  it("looks up the signed-in customer's order and is sent its status", async () => {
    let status: string | undefined;
    fake.scriptChat([
      { toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'KE-100118' } }] },
      (body) => {
        status = (toolResults(body)[0]!.content as { order: { status: string } }).order.status;
        return { text: `Order KE-100118 is ${status}.` };
      },
    ]);
    const result = await runTurn(deps(), {
      identity: maya,
      message: 'Where is my order KE-100118?',
      channel: 'web',
    });

    expect(status).toBe('delivered');
    expect(result).toMatchObject({
      answer: 'Order KE-100118 is delivered.',
      outcome: 'answered',
      toolCalls: [{ name: 'get_order_status', input: { orderId: 'KE-100118' } }],
    });
    const [first, second] = fake.chatRequests();
    expect(first!.tools!.map((t) => t.function.name)).toContain('get_order_status');
    expect(first!.messages[0]!.content).toContain('Maya Okonkwo');
    expect(toolResults(second!)[0]).toMatchObject({
      name: 'get_order_status',
      content: { order: { id: 'KE-100118', status: 'delivered', tracking: '1ZK7E4190312845521' } },
    });
  });

  it('stores everything the customer saw, including text written before a tool call', async () => {
    fake.scriptChat([
      {
        text: 'Let me check your order. ',
        toolCalls: [{ name: 'get_order_status', arguments: { orderId: 'KE-100118' } }],
      },
      { text: 'It was delivered.' },
    ]);
    let streamed = '';
    const result = await runTurn(
      deps(),
      { identity: maya, message: 'Where is KE-100118?', channel: 'api' },
      (d) => (streamed += d),
    );
    expect(streamed).toBe('Let me check your order. It was delivered.');
    const [, stored] = await storedMessages(result.conversationId);
    expect(stored!.content).toBe(streamed);
  });

  it('makes the model answer on its last allowed step instead of calling more tools', async () => {
    const search = { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'pairing' } }] };
    fake.scriptChat([
      search,
      search,
      search,
      search,
      (body) => (body.tool_choice === 'none' ? { text: 'Here is what I found.' } : search),
    ]);
    const result = await runTurn(deps(), { identity: visitor(), message: 'pairing help', channel: 'api' });
    expect(result.answer).toBe('Here is what I found.');
  });

  it('retries a rate-limited request transparently', async () => {
    fake.failNext([429]);
    fake.scriptChat([{ text: 'Hello! How can I help?' }]);
    const result = await runTurn(deps(), { identity: visitor(), message: 'Hi', channel: 'web' });

    expect(result).toMatchObject({ answer: 'Hello! How can I help?', outcome: 'answered' });
    expect(fake.chatRequests()).toHaveLength(2);
    expect(fake.chatRequests()[1]!.messages.at(-1)).toEqual({ role: 'user', content: 'Hi' });
  });

  it('fails the turn when the API keeps failing, keeping the user message and recording the error', async () => {
    fake.failNext(Array.from({ length: 10 }, () => 500));
    const identity = visitor();
    await expect(runTurn(deps(), { identity, message: 'Is anyone there?', channel: 'web' })).rejects.toThrow(
      /fake failure 500/,
    );

    expect(fake.chatRequests().length).toBeGreaterThan(1);
    const [conversation] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.visitorId, identity.kind === 'visitor' ? identity.visitorId : ''));
    const stored = await storedMessages(conversation!.id);
    expect(stored.map((m) => [m.role, m.content])).toEqual([['user', 'Is anyone there?']]);
    const [run] = await database.db
      .select()
      .from(agentRuns)
      .where(eq(agentRuns.conversationId, conversation!.id));
    expect(run).toMatchObject({ outcome: 'error', model: 'openai:gpt-4.1-mini' });
  });

  it('summarises through the non-streaming API', async () => {
    fake.scriptChat([{ text: 'Maya could not pair her earbuds; the case-button reset is still to try.' }]);
    const chat = createChatModel({
      openai: { apiKey: 'sk-test', baseURL: fake.baseURL },
      agent: { chatModel: 'gpt-4.1-mini', maxSteps: 5, historyTokens: 3000, abstainThreshold: 0.5 },
    });
    const summary = await createSummariser(chat)!({
      previous: null,
      messages: [{ role: 'user', content: 'My earbuds will not pair' }],
    });

    expect(summary).toBe('Maya could not pair her earbuds; the case-button reset is still to try.');
    const [request] = fake.chatRequests();
    expect(request!.stream).toBeFalsy();
    expect(request!.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });
});
