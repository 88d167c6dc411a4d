import type { LanguageModelV4CallOptions, LanguageModelV4Usage } from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDeps, agentDocs, customerIdentity, seedAgentData } from '../../test/support/agent-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { conversations } from '../db/schema/index.ts';
import { runTurn } from './agent.ts';
import type { ChatModel } from './models/index.ts';
import { createSummariser, extendSummary, summaryLimits } from './summarise.ts';

const usage: LanguageModelV4Usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
};

/** Characters of text in a call's prompt: what the provider would be sent (and bill). */
function promptChars(call: LanguageModelV4CallOptions): number {
  return call.prompt.reduce(
    (n, m) =>
      n +
      (typeof m.content === 'string'
        ? m.content.length
        : m.content.reduce((k, p) => k + ('text' in p && typeof p.text === 'string' ? p.text.length : 0), 0)),
    0,
  );
}

/**
 * A mock model answering every turn with a long text (streamed) and every summary request with a short one
 * (generated), recording how many characters each call received.
 */
function measuredModel(): ChatModel & { calls: number[] } {
  const calls: number[] = [];
  const answer = 'Here is what to try next with your earbuds and the case, step by step. '.repeat(12);
  const mock = new MockLanguageModelV4({
    modelId: 'measured',
    doStream: async (call) => {
      calls.push(promptChars(call));
      return {
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: answer },
            { type: 'text-end', id: 't' },
            { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
          ],
        }),
      };
    },
    doGenerate: async (call) => {
      calls.push(promptChars(call));
      return {
        content: [{ type: 'text', text: 'Maya cannot pair her earbuds; resets tried, replacement open.' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        warnings: [],
      };
    },
  });
  return { model: mock, id: 'mock:measured', offline: false, calls };
}

describe('conversation memory', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedAgentData(database, agentDocs);
  });
  afterAll(() => database?.destroy());

  it("keeps each turn's model input bounded over a 30-turn conversation", async () => {
    const chat = measuredModel();
    const deps = { ...agentDeps(database, chat), summarise: createSummariser(chat) };
    const identity = await customerIdentity(database, 'cus_a1f93k');
    const perTurn: number[] = [];
    let conversationId: string | undefined;
    for (let turn = 0; turn < 30; turn++) {
      const before = chat.calls.length;
      const message = `Turn ${turn}: my earbuds still will not pair after the reset you suggested. ${'More detail. '.repeat(20)}`;
      conversationId = (await runTurn(deps, { identity, message, conversationId, channel: 'api' }))
        .conversationId;
      perTurn.push(chat.calls.slice(before).reduce((n, c) => n + c, 0));
    }
    // Once the window is full, every turn costs about the same: the summariser reads the summary so far and
    // the newly dropped messages, never the whole conversation.
    const average = (xs: number[]) => xs.reduce((n, x) => n + x, 0) / xs.length;
    expect(average(perTurn.slice(25))).toBeLessThan(1.2 * average(perTurn.slice(12, 17)));
    expect(Math.max(...perTurn)).toBeLessThan(30_000);

    const [conversation] = await database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId!));
    expect(conversation!.summary).toMatch(/Maya cannot pair/);
    expect(Number(conversation!.metadata.summarisedTurns)).toBeGreaterThan(30);
  }, 120_000);

  it('extends the deterministic summary with new messages, within its limit', () => {
    const first = extendSummary({
      previous: null,
      messages: [{ role: 'user', content: 'Where is order 1001?' }],
    });
    expect(first).toBe('Customer: Where is order 1001?');
    const next = extendSummary({
      previous: first,
      messages: [{ role: 'assistant', content: 'It shipped on Monday. It arrives Friday.' }],
    });
    expect(next).toBe('Customer: Where is order 1001? Assistant: It shipped on Monday.');
    const long = extendSummary({
      previous: 'x'.repeat(5000),
      messages: [{ role: 'user', content: 'Latest question?' }],
    });
    expect(long.length).toBeLessThanOrEqual(summaryLimits.summaryChars);
    expect(long).toMatch(/Customer: Latest question\?$/);
  });
});
