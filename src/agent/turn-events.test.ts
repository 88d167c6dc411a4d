import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDeps, customerIdentity, openAgentDatabase } from '../../test/support/agent-fixture.ts';
import { backends, type TestDatabase } from '../../test/support/databases.ts';
import { scriptedModel } from '../../test/support/scripted-model.ts';
import { openDatabase } from '../db/client.ts';
import { agentRuns, conversations, messages } from '../db/schema/index.ts';
import { recordAgentAnswer } from '../support/agent-runs.ts';
import { appendMessage } from '../support/conversations.ts';
import { type ConversationEvent, type EventBus, openEventBus } from '../support/events/index.ts';
import { type Identity } from '../support/identity.ts';
import { runTurn, TurnInputError } from './agent.ts';

/** Events a bus delivers, and a wait for the ones a test expects. */
function watch(bus: EventBus) {
  const seen: ConversationEvent[] = [];
  const sub = bus.subscribe({ watcher: 'staff', onEvent: (e) => seen.push(e), onClose: () => {} });
  return {
    seen,
    ready: sub.ready,
    async until(predicate: (events: ConversationEvent[]) => boolean) {
      const deadline = Date.now() + 5000;
      while (!predicate(seen)) {
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe.each(backends)('what a turn writes and publishes, on %s', (backend) => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  beforeAll(async () => {
    ({ database, maya } = await openAgentDatabase(backend));
  });
  afterAll(() => database?.destroy());

  /** A listener as another replica has it on the server (its own connection); PGlite's own otherwise. */
  async function listener() {
    const other =
      backend === 'postgres'
        ? await openDatabase({ databaseUrl: database.url!, dataDir: '', poolSize: 1 })
        : undefined;
    const bus = openEventBus(other ?? database);
    const watched = watch(bus);
    await watched.ready;
    return {
      ...watched,
      close: async () => {
        await bus.close();
        await other?.close();
      },
    };
  }

  it("publishes the question's and the answer's message events, and touches the conversation", async () => {
    const events = await listener();
    try {
      const chat = scriptedModel([
        { tools: [{ name: 'search_knowledge', input: { query: 'earbuds will not pair' } }] },
        { text: 'Hold the case button for three seconds. [S1]' },
      ]);
      const result = await runTurn(agentDeps(database, chat), {
        identity: maya,
        message: '  My earbuds   will not pair  ',
        channel: 'cli',
      });
      const stored = await database.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, result.conversationId))
        .orderBy(asc(messages.createdAt));
      expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
      await events.until((seen) => seen.length >= 2);
      expect(events.seen).toEqual(
        stored.map((m) => ({ kind: 'message', conversationId: result.conversationId, messageId: m.id })),
      );
      const [conversation] = await database.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, result.conversationId));
      expect(conversation!.title).toBe('My earbuds will not pair');
      expect(conversation!.updatedAt.getTime()).toBeGreaterThanOrEqual(conversation!.createdAt.getTime());
      const [run] = await database.db
        .select()
        .from(agentRuns)
        .where(eq(agentRuns.conversationId, result.conversationId));
      expect(run).toMatchObject({ messageId: result.messageId, outcome: 'answered' });
    } finally {
      await events.close();
    }
  });

  it("reads a follow-up's history in order, staff replies as the support side, and only for its owner", async () => {
    const first = await runTurn(agentDeps(database, scriptedModel([{ text: 'It pairs from the case.' }])), {
      identity: maya,
      message: 'How do I pair the Flit 2?',
      channel: 'cli',
    });
    await appendMessage(database.db, {
      conversationId: first.conversationId,
      role: 'staff',
      content: 'Alex here: hold the button for three seconds.',
    });
    const chat = scriptedModel([{ text: 'Yes, Android works too.' }]);
    const follow = { identity: maya, message: 'And Android?', conversationId: first.conversationId };
    await runTurn(agentDeps(database, chat), { ...follow, channel: 'cli' });
    const prompt = chat.mock.doStreamCalls[0]!.prompt.filter((m) => m.role !== 'system');
    expect(prompt.map((m) => [m.role, JSON.stringify(m.content)])).toEqual([
      ['user', expect.stringContaining('How do I pair the Flit 2?')],
      ['assistant', expect.stringContaining('It pairs from the case.')],
      ['assistant', expect.stringContaining('hold the button for three seconds')],
      ['user', expect.stringContaining('And Android?')],
    ]);
    const devon = await customerIdentity(database, 'cus_b27x4d');
    await expect(
      runTurn(agentDeps(database, chat), { ...follow, identity: devon, channel: 'cli' }),
    ).rejects.toBeInstanceOf(TurnInputError);
  });

  it('stores neither the answer nor its run, and publishes nothing, when the run cannot be stored', async () => {
    const first = await runTurn(agentDeps(database, scriptedModel([{ text: 'Hello.' }])), {
      identity: maya,
      message: 'Hi',
      channel: 'cli',
    });
    const events = await listener();
    try {
      const answer = { conversationId: first.conversationId, content: 'Never stored' };
      // A run must have an outcome: without one the whole statement fails, the message with it.
      const broken = { model: 'mock', outcome: null as unknown as string };
      await expect(recordAgentAnswer(database.db, answer, broken)).rejects.toThrow();
      const stored = await database.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, first.conversationId));
      expect(stored.map((m) => m.content)).not.toContain('Never stored');
      await new Promise((r) => setTimeout(r, 200));
      expect(events.seen).toEqual([]);
    } finally {
      await events.close();
    }
  });
});
