import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentDeps, openAgentDatabase } from '../../test/support/agent-fixture.ts';
import { type TestDatabase } from '../../test/support/databases.ts';
import { scriptedModel, toolOutputs } from '../../test/support/scripted-model.ts';
import { runTurn } from '../agent/agent.ts';
import { type Identity } from '../support/identity.ts';
import { initTelemetry, shutdownTelemetry, withSpan } from './telemetry.ts';

const noToken = { telemetry: { logfireToken: undefined, environment: 'test' } };

/** Searches once, then answers citing the first passage. */
function pairingModel() {
  return scriptedModel([
    { tools: [{ name: 'search_knowledge', input: { query: 'earbuds will not pair' } }] },
    (call) => {
      const out = toolOutputs(call)[0]!.output as { value: { passages: { ref: string; text: string }[] } };
      const first = out.value.passages[0]!;
      return { text: `${first.text.split('.')[0]}. [${first.ref}]` };
    },
  ]);
}

function ancestors(span: ReadableSpan, byId: Map<string, ReadableSpan>): string[] {
  const names: string[] = [];
  for (let p = span.parentSpanContext; p; p = byId.get(p.spanId)?.parentSpanContext) {
    names.push(byId.get(p.spanId)?.name ?? `missing ${p.spanId}`);
  }
  return names;
}

describe('telemetry', () => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  beforeAll(async () => {
    ({ database, maya } = await openAgentDatabase('pglite'));
  });
  afterEach(() => shutdownTelemetry());
  afterAll(() => database?.destroy());

  it('without a token, loads nothing and spans are no-ops that still run their work', async () => {
    expect(await initTelemetry(noToken, { serviceName: 'parley' })).toEqual({
      enabled: false,
      sendingToLogfire: false,
    });
    expect(await withSpan('work', {}, () => 42)).toBe(42);
    await expect(
      withSpan('work', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('traces a turn as one trace: parley.turn at the root, retrieval, tool and model spans beneath it', async () => {
    const exporter = new InMemorySpanExporter();
    const options = {
      serviceName: 'parley',
      version: '0.1.0',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    };
    expect(await initTelemetry(noToken, options)).toEqual({ enabled: true, sendingToLogfire: false });
    expect(await initTelemetry(noToken, options)).toEqual({ enabled: true, sendingToLogfire: false });

    const message = 'My earbuds will not pair';
    const result = await runTurn(agentDeps(database, pairingModel()), {
      identity: maya,
      message,
      channel: 'cli',
    });
    expect(result.outcome).toBe('answered');

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const named = (prefix: string) => spans.filter((s) => s.name.startsWith(prefix));
    const [turn] = named('parley.turn');
    expect(turn).toBeDefined();
    expect(turn!.parentSpanContext).toBeUndefined();
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(
      new Set([turn!.spanContext().traceId]),
    );

    const [retrieval] = named('parley.retrieval');
    expect(ancestors(retrieval!, byId)).toEqual([
      'execute_tool search_knowledge',
      'step 1',
      'invoke_agent scripted',
      'parley.turn',
    ]);
    expect(named('chat scripted')).toHaveLength(2);
    for (const chat of named('chat ')) expect(ancestors(chat, byId).at(-1)).toBe('parley.turn');
    // The turn span waits for `done`, which settles after the stream has been read.
    const endMs = (s: ReadableSpan) => s.endTime[0] * 1e3 + s.endTime[1] / 1e6;
    expect(endMs(turn!)).toBeGreaterThanOrEqual(Math.max(...spans.map(endMs)));

    expect(turn!.attributes).toMatchObject({
      'gen_ai.conversation.id': result.conversationId,
      'parley.channel': 'cli',
      'parley.identity.kind': 'customer',
      'parley.model': 'mock:scripted',
      'parley.turn.outcome': 'answered',
      'parley.usage.input_tokens': 180,
      'parley.usage.output_tokens': 30,
    });
    const passages = retrieval!.attributes['parley.retrieval.passages'] as number;
    expect(passages).toBeGreaterThanOrEqual(1);
    expect(retrieval!.attributes['parley.retrieval.hits']).toBeGreaterThanOrEqual(passages);
    expect(retrieval!.attributes['parley.retrieval.query_length']).toBe('earbuds will not pair'.length);
    expect(retrieval!.attributes['parley.retrieval.best_relevance']).toBeGreaterThanOrEqual(0.5);
    expect(turn!.resource.attributes).toMatchObject({
      'service.name': 'parley',
      'deployment.environment.name': 'test',
    });

    // No message text, query or customer details in any span.
    const recorded = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of [
      message,
      'earbuds will not pair',
      maya.name,
      'maya.okonkwo@example.com',
      maya.externalId,
    ]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it('marks a failed turn, and ends its span', async () => {
    const exporter = new InMemorySpanExporter();
    await initTelemetry(noToken, {
      serviceName: 'parley',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const chat = scriptedModel([{ text: 'unused' }]);
    chat.mock.doStream = async () => {
      throw new Error('model service down');
    };
    await expect(
      runTurn(agentDeps(database, chat), { identity: maya, message: 'Hello?', channel: 'api' }),
    ).rejects.toThrow();
    const turn = exporter.getFinishedSpans().find((s) => s.name === 'parley.turn');
    expect(turn?.attributes['parley.turn.outcome']).toBe('error');
    expect(turn?.status.code).toBe(2); // SpanStatusCode.ERROR
  });

  it('with a token but an unreachable endpoint, the turn is prompt and shutdown resolves quickly', async () => {
    const status = await initTelemetry(
      { telemetry: { logfireToken: 'pylf_v1_us_0000000000000000000000000000', environment: 'test' } },
      { serviceName: 'parley', baseUrl: 'http://127.0.0.1:9' },
    );
    expect(status).toEqual({ enabled: true, sendingToLogfire: true });

    const turnStarted = performance.now();
    const result = await runTurn(agentDeps(database, pairingModel()), {
      identity: maya,
      message: 'My earbuds will not pair',
      channel: 'cli',
    });
    expect(result.outcome).toBe('answered');
    expect(performance.now() - turnStarted).toBeLessThan(2000);

    const shutdownStarted = performance.now();
    await expect(shutdownTelemetry()).resolves.toEqual({ wasSending: true });
    expect(performance.now() - shutdownStarted).toBeLessThan(2000);
  });
});
