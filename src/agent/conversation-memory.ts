import type { ModelMessage } from 'ai';
import type { Conversation } from '../db/schema/index.ts';
import { storeConversationSummary } from '../support/conversation-summary.ts';
import { type HistoryWindow, windowHistory } from './history-window.ts';
import { clipMiddle, extendSummary, summaryLimits } from './summarise.ts';
import type { AgentDeps } from './turn.ts';

/**
 * Characters of conversation (window and summary together) one model call may receive, per token of the history
 * budget. Tokens are estimated; this is the hard ceiling behind the estimate, so no conversation, however long
 * or oddly written, makes a turn's input grow.
 */
const charsPerHistoryToken = 6;

/** What the model is shown of a conversation's past: recent messages, and a summary of the older ones. */
export interface ConversationMemory {
  messages: ModelMessage[];
  summary: string | null;
}

/**
 * The history a turn sends to the model: the recent messages within the token budget and the character cap,
 * and a summary of everything older. The summary is kept up to date incrementally (the previous summary plus
 * the messages dropped since, `metadata.summarisedTurns` counting those it covers), so a turn's cost does not
 * grow with the length of the conversation.
 */
export async function recallConversation(
  deps: Pick<AgentDeps, 'db' | 'settings' | 'summarise'>,
  conversation: Pick<Conversation, 'id' | 'summary' | 'metadata'>,
  earlier: Parameters<typeof windowHistory>[0],
): Promise<ConversationMemory> {
  const window = capWindow(
    windowHistory(earlier, deps.settings.historyTokens),
    deps.settings.historyTokens * charsPerHistoryToken - summaryLimits.summaryChars,
  );
  if (window.dropped.length === 0) return { messages: window.messages, summary: conversation.summary };
  const covered = conversation.summary ? Number(conversation.metadata.summarisedTurns ?? 0) : 0;
  const fresh = window.dropped.slice(covered);
  if (fresh.length === 0) return { messages: window.messages, summary: conversation.summary };
  const update = { previous: conversation.summary, messages: fresh };
  const summary = (await deps.summarise?.(update).catch(() => undefined)) || extendSummary(update);
  await storeConversationSummary(deps.db, conversation, summary, window.dropped.length);
  return { messages: window.messages, summary };
}

/**
 * Moves the oldest window messages to the dropped ones until the window holds at most `maxChars` characters
 * (the newest message stays, clipped if it alone is too long), starting again on a user message.
 */
function capWindow(window: HistoryWindow, maxChars: number): HistoryWindow {
  const messages = [...window.messages];
  const dropped = [...window.dropped];
  const length = (m: ModelMessage) => (typeof m.content === 'string' ? m.content.length : 0);
  let total = messages.reduce((n, m) => n + length(m), 0);
  while (messages.length > 1 && (total > maxChars || messages[0]!.role !== 'user')) {
    const first = messages.shift()!;
    total -= length(first);
    if (first.role === 'user' || first.role === 'assistant') {
      dropped.push({ role: first.role, content: typeof first.content === 'string' ? first.content : '' });
    }
  }
  const only = messages[0];
  if (only && total > maxChars && typeof only.content === 'string') {
    messages[0] = { ...only, content: clipMiddle(only.content, Math.max(maxChars, 200)) } as ModelMessage;
  }
  return { messages, dropped };
}
