import { type ModelMessage } from 'ai';
import { type Message } from '../db/schema/index.ts';
import { countTokens } from '../knowledge/token-count.ts';

export interface HistoryWindow {
  /** The recent messages that fit the token budget, oldest first, as model messages. */
  messages: ModelMessage[];
  /** Messages that fell out of the window, oldest first. */
  dropped: Pick<Message, 'role' | 'content'>[];
}

/**
 * Keeps the most recent user and assistant messages within `budgetTokens` (the newest message always fits).
 * Tool calls of earlier answers are not replayed: the answers already say what was found.
 */
export function windowHistory(
  history: Pick<Message, 'role' | 'content'>[],
  budgetTokens: number,
): HistoryWindow {
  const kept = history.filter((m) => m.role === 'user' || m.role === 'assistant');
  let used = 0;
  let start = kept.length;
  while (start > 0) {
    const n = countTokens(kept[start - 1]!.content) + 4;
    if (used + n > budgetTokens && start < kept.length) break;
    used += n;
    start--;
  }
  // Begin the window on a user message, as models expect.
  while (start < kept.length && kept[start]!.role !== 'user') start++;
  return {
    messages: kept.slice(start).map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    dropped: kept.slice(0, start),
  };
}

/**
 * A deterministic summary of dropped messages: what the customer asked and the gist of each answer. Used by the
 * offline model, and as the fallback when an LLM summary fails.
 */
export function summariseMessages(messages: { role: string; content: string }[], maxChars = 1200): string {
  const lines: string[] = [];
  for (const t of messages) {
    const first =
      t.content
        .replace(/\s+/g, ' ')
        .trim()
        .split(/(?<=[.!?])\s/)[0] ?? '';
    const gist = first.length > 160 ? `${first.slice(0, 157)}…` : first;
    lines.push(t.role === 'user' ? `Customer: ${gist}` : `Assistant: ${gist}`);
  }
  const text = lines.join(' ');
  return text.length > maxChars ? `…${text.slice(text.length - maxChars)}` : text;
}
