import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDeps, customerIdentity, openAgentDatabase } from '../../test/support/agent-fixture.ts';
import { type TestDatabase } from '../../test/support/databases.ts';
import { scriptedModel, toolOutputs } from '../../test/support/scripted-model.ts';
import { agentRuns, conversations, messages } from '../db/schema/index.ts';
import { type Identity, newVisitorId } from '../support/identity.ts';
import { readPreferences } from '../support/preferences.ts';
import { runTurn, TurnInputError } from './agent.ts';

describe('an agent turn (mock model)', () => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  beforeAll(async () => {
    ({ database, maya } = await openAgentDatabase('pglite'));
  });
  afterAll(() => database?.destroy());

  it('searches, answers with citations, and stores the turn with its figures', async () => {
    const chat = scriptedModel([
      { tools: [{ name: 'search_knowledge', input: { query: 'earbuds will not pair' } }] },
      (call) => {
        const out = toolOutputs(call)[0]!.output as { value: { passages: { ref: string; text: string }[] } };
        const first = out.value.passages[0]!;
        return { text: `${first.text.split('.')[0]}. [${first.ref}]` };
      },
    ]);
    const result = await runTurn(agentDeps(database, chat), {
      identity: maya,
      message: 'My earbuds will not pair',
      channel: 'cli',
    });
    expect(result.answer).toMatch(/hold the case button for three seconds[\s\S]*\[S1\]/i);
    expect(result.citations).toHaveLength(1);
    expect(result.citations[0]!.source).toMatch(/pairing\.md$/);
    expect(result.citations[0]!.heading).toBe('Earbuds will not pair');
    expect(result.toolCalls).toEqual([
      { name: 'search_knowledge', input: { query: 'earbuds will not pair' } },
    ]);
    expect(result).toMatchObject({
      outcome: 'answered',
      escalated: false,
      model: 'mock:scripted',
      usage: { inputTokens: 180, outputTokens: 30 },
    });

    const stored = await database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, result.conversationId))
      .orderBy(asc(messages.createdAt));
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[1]).toMatchObject({ content: result.answer, model: 'mock:scripted', inputTokens: 180 });
    expect(stored[1]!.citations[0]).toMatchObject({
      chunkId: result.citations[0]!.chunkId,
      versionId: result.citations[0]!.versionId,
    });
    expect(stored[1]!.parts[0]).toMatchObject({ type: 'tool', name: 'search_knowledge' });
    const [run] = await database.db.select().from(agentRuns).where(eq(agentRuns.messageId, result.messageId));
    expect(run).toMatchObject({
      outcome: 'answered',
      model: 'mock:scripted',
      tools: ['search_knowledge'],
      inputTokens: 180,
    });
    expect(run!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps the user message when the model fails, and records the failure', async () => {
    const chat = scriptedModel([{ text: 'unused' }]);
    chat.mock.doStream = async () => {
      throw new Error('model service down');
    };
    const identity: Identity = { kind: 'visitor', visitorId: newVisitorId() };
    await expect(
      runTurn({ ...agentDeps(database, chat) }, { identity, message: 'Hello?', channel: 'api' }),
    ).rejects.toThrow();
    const [conversation] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.visitorId, identity.visitorId));
    const stored = await database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation!.id));
    expect(stored.map((m) => [m.role, m.content])).toEqual([['user', 'Hello?']]);
    const [run] = await database.db
      .select()
      .from(agentRuns)
      .where(eq(agentRuns.conversationId, conversation!.id));
    expect(run!.outcome).toBe('error');
  });

  it('continues a conversation with its history, and only for its owner', async () => {
    const first = await runTurn(
      agentDeps(database, scriptedModel([{ text: 'The Flit 2 pairs from the case.' }])),
      {
        identity: maya,
        message: 'How do I pair the Flit 2?',
        channel: 'cli',
      },
    );
    const chat = scriptedModel([{ text: 'Yes, Android works too.' }]);
    await runTurn(agentDeps(database, chat), {
      identity: maya,
      message: 'Does it work with Android?',
      conversationId: first.conversationId,
      channel: 'cli',
    });
    const prompt = JSON.stringify(chat.mock.doStreamCalls[0]!.prompt);
    expect(prompt).toContain('How do I pair the Flit 2?');
    expect(prompt).toContain('The Flit 2 pairs from the case.');
    const devon = await customerIdentity(database, 'cus_b27x4d');
    await expect(
      runTurn(agentDeps(database, chat), {
        identity: devon,
        message: 'hi',
        conversationId: first.conversationId,
        channel: 'cli',
      }),
    ).rejects.toBeInstanceOf(TurnInputError);
  });

  it('summarises turns that leave the history window', async () => {
    const deps = {
      ...agentDeps(database, scriptedModel([{ text: 'A long answer. '.repeat(40) }])),
      settings: { maxSteps: 5, historyTokens: 250, abstainThreshold: 0.5 },
    };
    let conversationId: string | undefined;
    for (const q of [
      'First question about returns?',
      'Second question about pairing?',
      'Third question about shipping?',
    ]) {
      conversationId = (await runTurn(deps, { identity: maya, message: q, conversationId, channel: 'cli' }))
        .conversationId;
    }
    const [c] = await database.db.select().from(conversations).where(eq(conversations.id, conversationId!));
    expect(c!.summary).toContain('Customer: First question about returns?');
    const chat = scriptedModel([{ text: 'ok' }]);
    await runTurn(
      { ...deps, chat },
      { identity: maya, message: 'And one more?', conversationId, channel: 'cli' },
    );
    expect(JSON.stringify(chat.mock.doStreamCalls[0]!.prompt)).toContain(
      'Summary of the earlier part of this conversation',
    );
  });

  it('escalates at once when the customer asks for a person', async () => {
    const result = await runTurn(agentDeps(database, scriptedModel([{ text: 'Connecting you now.' }])), {
      identity: maya,
      message: 'I want to talk to a human please',
      channel: 'cli',
    });
    expect(result).toMatchObject({ escalated: true, outcome: 'escalated' });
    const [c] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, result.conversationId));
    expect(c).toMatchObject({ status: 'escalated', escalationReason: 'Customer asked for a person' });
  });

  it('abstains when the documentation has nothing relevant', async () => {
    const result = await runTurn(
      agentDeps(
        database,
        scriptedModel([
          { tools: [{ name: 'search_knowledge', input: { query: 'quantum teleporter firmware' } }] },
          { text: "I don't know." },
        ]),
      ),
      { identity: maya, message: 'Does the quantum teleporter need firmware?', channel: 'cli' },
    );
    expect(result).toMatchObject({ outcome: 'abstained', citations: [] });
  });

  it('remembers preferences and brings them into later prompts', async () => {
    await runTurn(
      agentDeps(
        database,
        scriptedModel([
          { tools: [{ name: 'remember_preference', input: { key: 'contact_channel', value: 'email' } }] },
          { text: 'Noted.' },
        ]),
      ),
      { identity: maya, message: 'Please contact me by email from now on', channel: 'cli' },
    );
    expect(await readPreferences(database.db, maya.customerId)).toMatchObject({ contact_channel: 'email' });
    const chat = scriptedModel([{ text: 'ok' }]);
    await runTurn(agentDeps(database, chat), { identity: maya, message: 'hello', channel: 'cli' });
    const instructions = JSON.stringify(chat.mock.doStreamCalls[0]!.prompt[0]);
    expect(instructions).toContain('contact_channel = email');
    expect(instructions).toContain('Maya Okonkwo');
  });

  it('refuses empty and oversized messages before storing anything', async () => {
    const deps = agentDeps(database, scriptedModel([{ text: 'x' }]));
    await expect(runTurn(deps, { identity: maya, message: '   ', channel: 'cli' })).rejects.toMatchObject({
      code: 'empty_message',
    });
    await expect(
      runTurn(deps, { identity: maya, message: 'x'.repeat(9000), channel: 'cli' }),
    ).rejects.toMatchObject({ code: 'message_too_long' });
  });
});
