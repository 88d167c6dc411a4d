import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { type Turn } from './follow-up.ts';

/** One tool result of the current turn, with the input the tool was called with. */
export interface ToolOutcome {
  toolName: string;
  input: Record<string, unknown>;
  /** The tool's output; undefined when it failed. */
  value: unknown;
  /** Why the tool failed: a thrown error, or an `{ error }` value the tool returned. */
  error: string | undefined;
}

/** What the offline model reads from a prompt. */
export interface Conversation {
  /** The system instructions, joined. */
  instructions: string;
  /** The text of the last user message. */
  question: string;
  /** User and assistant text before the last user message, oldest first. */
  earlier: Turn[];
  /** Tool results that arrived after the last user message: this turn's findings. */
  results: ToolOutcome[];
  /** Tool calls anywhere in the prompt, so new call ids never repeat old ones. */
  toolCallCount: number;
}

/** Reads the instructions, the question, the turns before it and this turn's tool results from a prompt. */
export function readConversation(prompt: LanguageModelV4Prompt): Conversation {
  const lastUser = prompt.findLastIndex((m) => m.role === 'user');
  const instructions: string[] = [];
  const earlier: Turn[] = [];
  const inputs = new Map<string, Record<string, unknown>>();
  const results: ToolOutcome[] = [];
  let toolCallCount = 0;

  prompt.forEach((message, index) => {
    if (message.role === 'system') {
      instructions.push(message.content);
      return;
    }
    if (message.role !== 'tool') {
      const text = textOf(message.content);
      if (index < lastUser && text.trim()) earlier.push({ role: message.role, text });
    }
    for (const part of message.content) {
      if (part.type === 'tool-call') {
        toolCallCount++;
        inputs.set(part.toolCallId, isRecord(part.input) ? part.input : {});
      } else if (part.type === 'tool-result' && index > lastUser) {
        results.push({
          toolName: part.toolName,
          input: inputs.get(part.toolCallId) ?? {},
          ...readOutput(part.output),
        });
      }
    }
  });

  const question = prompt[lastUser];
  return {
    instructions: instructions.join('\n\n'),
    question: question?.role === 'user' ? textOf(question.content) : '',
    earlier,
    results,
    toolCallCount,
  };
}

function readOutput(output: LanguageModelV4ToolResultOutput): Pick<ToolOutcome, 'value' | 'error'> {
  switch (output.type) {
    case 'json': {
      // Our tools report expected failures as `{ error }` values rather than throwing.
      const error =
        isRecord(output.value) && typeof output.value.error === 'string' ? output.value.error : undefined;
      return { value: error === undefined ? output.value : undefined, error };
    }
    case 'text':
      return { value: output.value, error: undefined };
    case 'content':
      return { value: textOf(output.value), error: undefined };
    case 'error-text':
      return { value: undefined, error: output.value };
    case 'error-json':
      return { value: undefined, error: JSON.stringify(output.value) };
    case 'execution-denied':
      return { value: undefined, error: output.reason ?? 'The tool call was not allowed.' };
  }
}

function textOf(parts: { type: string; text?: string }[]): string {
  return parts.flatMap((p) => (p.type === 'text' && p.text !== undefined ? [p.text] : [])).join('\n');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
