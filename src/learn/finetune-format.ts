import { countTokens } from '../knowledge/token-count.ts';
import type { QaPair } from '../db/schema/index.ts';

// OpenAI's chat fine-tuning format: one JSON object per line, `{"messages": [...]}`, optionally with the
// `tools` the assistant could call. https://platform.openai.com/docs/guides/supervised-fine-tuning

export interface FtToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type FtMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: FtToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface FtTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface FtExample {
  messages: FtMessage[];
  tools?: FtTool[];
}

/**
 * One training example from a pair: the system prompt, then the source conversation as it happened (earlier
 * turns, the tool calls the agent made with their results, PII replaced) when the pair has one, else the
 * question alone; and the reviewed answer as the final assistant message. A question edited by staff replaces
 * the customer's last message, so the example teaches what was approved.
 */
export function pairToExample(
  pair: Pick<QaPair, 'question' | 'answer' | 'transcript'>,
  system: string,
  tools: FtTool[] = [],
): FtExample {
  const messages: FtMessage[] = [{ role: 'system', content: system }];
  const lastUser = pair.transcript.findLastIndex((t) => t.role === 'user');
  let calls = 0;
  if (lastUser < 0) {
    messages.push({ role: 'user', content: pair.question });
  } else {
    pair.transcript.forEach((turn, i) => {
      if (turn.role === 'tool_call') {
        const ids = turn.calls.map(() => `call_${++calls}`);
        messages.push({
          role: 'assistant',
          content: null,
          tool_calls: turn.calls.map((c, k) => ({
            id: ids[k]!,
            type: 'function',
            function: { name: c.name, arguments: JSON.stringify(c.input ?? {}) },
          })),
        });
        turn.calls.forEach((c, k) =>
          messages.push({ role: 'tool', tool_call_id: ids[k]!, content: JSON.stringify(c.output ?? null) }),
        );
      } else if (turn.role === 'user') {
        messages.push({ role: 'user', content: i === lastUser ? pair.question : turn.content });
      } else {
        messages.push({ role: 'assistant', content: turn.content });
      }
    });
  }
  messages.push({ role: 'assistant', content: pair.answer });
  const used = new Set(
    messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.name) : [])),
  );
  return used.size && tools.length ? { messages, tools } : { messages };
}

/**
 * Tokens an example costs to train on, estimated: the project's word-piece count (`countTokens`, about one
 * token per short word or symbol, close to OpenAI's tokenizers for English) of every message's text and tool
 * call, plus 4 per message for its role and framing and 3 for the reply priming, as OpenAI's own counting
 * recipe does; tool definitions are counted from their JSON. Within a few percent for English prose.
 */
export function estimateExampleTokens(example: FtExample): number {
  let n = 3;
  for (const m of example.messages) {
    n += 4;
    if (m.content) n += countTokens(m.content);
    if (m.role === 'assistant')
      for (const c of m.tool_calls ?? [])
        n += 3 + countTokens(c.function.name) + countTokens(c.function.arguments);
  }
  if (example.tools) n += countTokens(JSON.stringify(example.tools));
  return n;
}

const roles = new Set(['system', 'user', 'assistant', 'tool']);

/**
 * What breaks OpenAI's format rules in one example, or an empty list: known roles only; text where text is
 * required; at least one user and one assistant message; every tool call answered by a `tool` message with its
 * id before the next assistant turn; ends with an assistant message (with text: that is what is trained); and
 * within `maxTokens`.
 */
export function exampleProblems(example: FtExample, maxTokens: number): string[] {
  const problems: string[] = [];
  const { messages } = example;
  if (!Array.isArray(messages) || messages.length === 0) return ['no messages'];
  let pending = new Set<string>();
  messages.forEach((m, i) => {
    if (!roles.has(m.role)) problems.push(`message ${i + 1}: unknown role "${(m as { role: string }).role}"`);
    if (m.role === 'tool') {
      if (!pending.delete(m.tool_call_id)) problems.push(`message ${i + 1}: tool result for an unknown call`);
      return;
    }
    if (pending.size)
      problems.push(`message ${i + 1}: tool call(s) ${[...pending].join(', ')} have no result`);
    pending = new Set();
    if (m.role === 'assistant' && m.tool_calls?.length) {
      pending = new Set(m.tool_calls.map((c) => c.id));
      for (const c of m.tool_calls) {
        try {
          JSON.parse(c.function.arguments);
        } catch {
          problems.push(`message ${i + 1}: tool call arguments are not JSON`);
        }
      }
    } else if (typeof m.content !== 'string' || !m.content.trim()) {
      problems.push(`message ${i + 1} (${m.role}): empty content`);
    }
    if (m.role === 'system' && i !== 0) problems.push(`message ${i + 1}: a system message must come first`);
  });
  if (!messages.some((m) => m.role === 'user')) problems.push('no user message');
  const last = messages.at(-1)!;
  if (last.role !== 'assistant' || !last.content) problems.push('does not end with an assistant answer');
  const tokens = estimateExampleTokens(example);
  if (tokens > maxTokens) problems.push(`about ${tokens} tokens, over the limit of ${maxTokens}`);
  return problems;
}
