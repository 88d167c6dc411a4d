import type {
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { ChatModel } from '../../src/agent/models/index.ts';

/** One model step: call tools, or answer with text. */
export type ScriptStep = { tools: { name: string; input: Record<string, unknown> }[] } | { text: string };

const usage = (input: number, output: number): LanguageModelV4Usage => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/**
 * The AI SDK's mock model playing a script, one step per model call (a function step sees the call, e.g. to
 * read tool results). Records every call for assertions.
 */
export function scriptedModel(
  steps: (ScriptStep | ((call: LanguageModelV4CallOptions) => ScriptStep))[],
  options: { chunkDelayInMs?: number } = {},
): ChatModel & { mock: MockLanguageModelV4 } {
  let n = 0;
  const mock = new MockLanguageModelV4({
    modelId: 'scripted',
    doStream: async (call) => {
      const entry = steps[Math.min(n++, steps.length - 1)]!;
      const step = typeof entry === 'function' ? entry(call) : entry;
      const chunks: LanguageModelV4StreamPart[] =
        'text' in step
          ? [
              { type: 'text-start', id: 't' },
              ...step.text
                .split(/(?<= )/)
                .map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't', delta })),
              { type: 'text-end', id: 't' },
              { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(100, 20) },
            ]
          : [
              ...step.tools.map((t, i): LanguageModelV4StreamPart => ({
                type: 'tool-call',
                toolCallId: `call_${n}_${i}`,
                toolName: t.name,
                input: JSON.stringify(t.input),
              })),
              {
                type: 'finish',
                finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
                usage: usage(80, 10),
              },
            ];
      return { stream: simulateReadableStream({ chunks, chunkDelayInMs: options.chunkDelayInMs ?? null }) };
    },
  });
  return { model: mock, id: 'mock:scripted', offline: false, mock };
}

/** The tool results the model was shown in a call, by tool name. */
export function toolOutputs(call: LanguageModelV4CallOptions): { name: string; output: unknown }[] {
  return call.prompt.flatMap((m) =>
    m.role === 'tool'
      ? m.content.flatMap((p) => (p.type === 'tool-result' ? [{ name: p.toolName, output: p.output }] : []))
      : [],
  );
}
