import { type ModelMessage } from 'ai';
import { type Message } from '../db/schema/index.ts';
import { countTokens } from '../knowledge/tokens.ts';

export interface HistoryWindow {
  /** The recent turns that fit the token budget, oldest first, as model messages. */
  messages: ModelMessage[];
  /** Turns that fell out of the window, oldest first. */
  dropped: Pick<Message, 'role' | 'content'>[];
}

/**
 * Keeps the most recent user and assistant turns within `budgetTokens` (the newest message always fits).
 * Tool calls of earlier turns are not replayed: their answers already say what was found.
 */
export function windowHistory(
  history: Pick<Message, 'role' | 'content'>[],
  budgetTokens: number,
): HistoryWindow {
  const turns = history.filter((m) => m.role === 'user' || m.role === 'assistant');
  let used = 0;
  let start = turns.length;
  while (start > 0) {
    const n = countTokens(turns[start - 1]!.content) + 4;
    if (used + n > budgetTokens && start < turns.length) break;
    used += n;
    start--;
  }
  // Begin the window on a user turn, as models expect.
  while (start < turns.length && turns[start]!.role !== 'user') start++;
  return {
    messages: turns.slice(start).map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    dropped: turns.slice(0, start),
  };
}

/**
 * A deterministic summary of dropped turns: what the customer asked and the gist of each answer. Used by the
 * offline model, and as the fallback when an LLM summary fails.
 */
export function summariseTurns(turns: { role: string; content: string }[], maxChars = 1200): string {
  const lines: string[] = [];
  for (const t of turns) {
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
