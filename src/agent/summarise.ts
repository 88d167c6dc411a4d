import { generateText } from 'ai';
import { summariseMessages } from './history-window.ts';
import type { ChatModel } from './models/index.ts';

/** What changed since a conversation was last summarised: the summary then, and the messages dropped since. */
export interface SummaryUpdate {
  previous: string | null;
  messages: { role: string; content: string }[];
}

/** Folds newly dropped messages into a conversation's summary. */
export type Summariser = (update: SummaryUpdate) => Promise<string>;

/**
 * Bounds on what summarising reads and keeps, so a turn costs the same at message 300 as at message 30: the
 * summariser sees the previous summary and the newly dropped messages only, each within these limits.
 */
export const summaryLimits = {
  /** Longest summary kept; an LLM summary that runs over is cut. */
  summaryChars: 1200,
  /** Most characters of one dropped message the summariser reads. */
  messageChars: 1500,
  /** Most characters of dropped messages one update reads; the oldest beyond it are left out. */
  updateChars: 6000,
} as const;

/** `text` within `max` characters, keeping its beginning and end. */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

/** `text` within `max` characters, keeping its end (the most recent part of a summary). */
function clipStart(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** The dropped messages as the summariser reads them: each clipped, newest kept when they are too many. */
export function updateTranscript(messages: SummaryUpdate['messages']): string {
  const lines: string[] = [];
  let used = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const line = `${m.role === 'user' ? 'Customer' : 'Assistant'}: ${clipMiddle(m.content, summaryLimits.messageChars)}`;
    if (used + line.length > summaryLimits.updateChars && lines.length > 0) {
      lines.unshift(`(${i + 1} earlier messages left out)`);
      break;
    }
    lines.unshift(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

/**
 * The deterministic summary update, for the offline model and when an LLM summary fails: the previous summary
 * followed by the gist of each new message, keeping the most recent part.
 */
export function extendSummary(update: SummaryUpdate): string {
  const added = summariseMessages(update.messages, summaryLimits.summaryChars);
  return clipStart([update.previous, added].filter(Boolean).join(' '), summaryLimits.summaryChars);
}

/**
 * An LLM summariser for messages leaving the history window; the offline model has none (the agent then uses
 * `extendSummary`). It reads the previous summary and the new messages only, never the whole conversation.
 */
export function createSummariser(chat: ChatModel): Summariser | undefined {
  if (chat.offline) return undefined;
  return async (update) => {
    const previous = update.previous ? clipStart(update.previous, summaryLimits.summaryChars) : '(none yet)';
    const { text } = await generateText({
      model: chat.model,
      instructions:
        'Update the summary of this support conversation for the agent continuing it, in at most 80 words: ' +
        'the customer, their problem, what was tried and what is still open. Keep what still matters from the ' +
        'summary so far and add what the new messages say. No greetings.',
      prompt: `Summary so far: ${previous}\n\nNew messages:\n${updateTranscript(update.messages)}`,
      maxRetries: 1,
    });
    return clipStart(text.trim(), summaryLimits.summaryChars);
  };
}
