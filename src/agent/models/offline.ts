import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { countTokens } from '../../knowledge/token-count.ts';
import { composeAnswer } from './offline/answer.ts';
import { readConversation } from './offline/conversation.ts';
import { planToolCalls } from './offline/plan.ts';
import { readRequest } from './offline/request.ts';

export interface OfflineModelOptions {
  /** Used in greetings; otherwise read from the instructions. */
  companyName?: string | undefined;
}

/** What one call decides: tool calls to gather facts, or the answer. */
type Reply =
  | { kind: 'tool-calls'; calls: { toolCallId: string; toolName: string; input: string }[] }
  | { kind: 'answer'; text: string };

/**
 * The answer model when no LLM is configured: deterministic, no network, behind the same language-model
 * interface as OpenAI, so the agent loop does not know the difference. On the customer's message it calls
 * tools chosen by pattern (order numbers, account and product questions, problems, stated preferences,
 * requests for a person; the documentation for everything else); once their results are in, it answers from
 * them with citations, or says the documentation does not cover the question and offers a person.
 *
 * @example streamText({ model: new OfflineModel({ companyName: 'Kestrel' }), messages, tools, stopWhen: isStepCount(5) })
 */
export class OfflineModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4' as const;
  readonly provider = 'parley';
  readonly modelId = 'parley-offline';
  readonly supportedUrls = {};

  constructor(private readonly options: OfflineModelOptions = {}) {}

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const reply = this.reply(options);
    const content: LanguageModelV4Content[] =
      reply.kind === 'answer'
        ? [{ type: 'text', text: reply.text }]
        : reply.calls.map((c) => ({ type: 'tool-call', ...c }));
    return { content, finishReason: finishReason(reply), usage: usage(options.prompt, reply), warnings: [] };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const reply = this.reply(options);
    const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
    if (reply.kind === 'answer') {
      parts.push({ type: 'text-start', id: 'text-0' });
      for (const delta of textDeltas(reply.text)) parts.push({ type: 'text-delta', id: 'text-0', delta });
      parts.push({ type: 'text-end', id: 'text-0' });
    } else {
      for (const call of reply.calls) {
        parts.push(
          { type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName },
          { type: 'tool-input-delta', id: call.toolCallId, delta: call.input },
          { type: 'tool-input-end', id: call.toolCallId },
          { type: 'tool-call', ...call },
        );
      }
    }
    parts.push({ type: 'finish', finishReason: finishReason(reply), usage: usage(options.prompt, reply) });
    return {
      stream: new ReadableStream({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  }

  private reply(options: LanguageModelV4CallOptions): Reply {
    const conversation = readConversation(options.prompt);
    const offered = new Set(
      options.toolChoice?.type === 'none'
        ? []
        : (options.tools ?? []).flatMap((t) => (t.type === 'function' ? [t.name] : [])),
    );
    const request = readRequest(conversation.question, conversation.earlier);
    // Results after the customer's message mean this turn's look-ups are done: time to answer.
    if (conversation.results.length === 0) {
      const calls = planToolCalls(request, offered);
      if (calls.length) {
        return {
          kind: 'tool-calls',
          calls: calls.map((c, i) => ({
            toolCallId: `offline-call-${conversation.toolCallCount + i + 1}`,
            toolName: c.toolName,
            input: JSON.stringify(c.input),
          })),
        };
      }
    }
    const text = composeAnswer({
      request,
      results: conversation.results,
      offered,
      instructions: conversation.instructions,
      companyName: this.options.companyName,
    });
    return { kind: 'answer', text };
  }
}

function finishReason(reply: Reply): LanguageModelV4FinishReason {
  return reply.kind === 'answer'
    ? { unified: 'stop', raw: 'stop' }
    : { unified: 'tool-calls', raw: 'tool_calls' };
}

/** Token counts estimated the way chunk budgets are, so usage reports and costs have figures to show. */
function usage(prompt: LanguageModelV4Prompt, reply: Reply): LanguageModelV4Usage {
  const input = countTokens(promptText(prompt));
  const output = countTokens(
    reply.kind === 'answer' ? reply.text : reply.calls.map((c) => c.input).join(' '),
  );
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}

/** The prompt as a chat API would carry it: texts, and tool inputs and outputs as JSON. */
function promptText(prompt: LanguageModelV4Prompt): string {
  return prompt
    .flatMap((message) =>
      typeof message.content === 'string'
        ? [message.content]
        : message.content.map((part) => {
            if (part.type === 'text') return part.text;
            if (part.type === 'tool-call') return JSON.stringify(part.input);
            if (part.type === 'tool-result') return JSON.stringify(part.output);
            return '';
          }),
    )
    .join('\n');
}

/** A few words at a time, as a streaming model would send them; the deltas join back to the exact text. */
function textDeltas(text: string, wordsPerDelta = 4): string[] {
  const words = text.match(/\s*\S+/g) ?? [];
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerDelta)
    deltas.push(words.slice(i, i + wordsPerDelta).join(''));
  return deltas;
}
