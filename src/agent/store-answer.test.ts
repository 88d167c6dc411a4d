import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDeps, openAgentDatabase } from '../../test/support/agent-fixture.ts';
import { backends, type TestDatabase } from '../../test/support/databases.ts';
import { scriptedModel } from '../../test/support/scripted-model.ts';
import { agentRuns, messages } from '../db/schema/index.ts';
import { type Identity } from '../support/identity.ts';
import { runTurn } from './agent.ts';

describe.each(backends)('storing what the model wrote on %s', (backend) => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  beforeAll(async () => {
    ({ database, maya } = await openAgentDatabase(backend));
  });
  afterAll(() => database?.destroy());

  it('keeps an answer and tool input holding a lone surrogate and a NUL, with U+FFFD in place', async () => {
    // A high surrogate whose pair was cut off, and a NUL: the database refuses both as they are.
    const chat = scriptedModel([
      { tools: [{ name: 'search_knowledge', input: { query: 'earbuds \uD83D pair\u0000ing' } }] },
      { text: 'Hold the case button \uD83D for three\u0000 seconds.' },
    ]);
    const result = await runTurn(agentDeps(database, chat), {
      identity: maya,
      message: 'My earbuds will not pair',
      channel: 'cli',
    });
    expect(result.answer).toBe('Hold the case button \uFFFD for three seconds.');
    const stored = await database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, result.conversationId))
      .orderBy(asc(messages.createdAt));
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[1]!.content).toBe(result.answer);
    expect(stored[1]!.parts[0]).toMatchObject({
      type: 'tool',
      name: 'search_knowledge',
      input: { query: 'earbuds \uFFFD pairing' },
    });
    // The search ran on the cleaned query: the passages came back, not a database error.
    const output = JSON.stringify((stored[1]!.parts[0] as { output?: unknown }).output);
    expect(output).toContain('passages');
    expect(output).not.toMatch(/error|select|0x00/i);
    const [run] = await database.db.select().from(agentRuns).where(eq(agentRuns.messageId, result.messageId));
    expect(run).toMatchObject({ outcome: 'answered', tools: ['search_knowledge'] });
  });
});
