import { type StaffRef } from '../contracts/inbox.ts';
import { type Conversation } from '../db/schema/index.ts';
import { metrics } from '../ops/metrics.ts';
import { type Span } from '../ops/telemetry.ts';
import { sendHandoffNotification } from '../support/handoff-notifications.ts';
import { storeHeldCustomerMessage } from '../support/inbox.ts';
import { noticeStream } from './answer-stream.ts';
import { type AgentDeps, type Turn, type TurnInput, type TurnResult } from './turn.ts';

/** What the customer is told while a person holds their conversation. */
export function heldNotice(holder: StaffRef): string {
  return `A member of our team, ${holder.name}, has this conversation and will reply here.`;
}

/**
 * A turn while a person holds the conversation: the customer's message is stored (shown to staff at once
 * through the event bus, and sent to notifications), the bot does not answer, and the stream carries a short
 * notice instead of an answer. Nothing is recorded as an agent run: the agent did not run.
 */
export async function heldTurn(
  deps: AgentDeps,
  input: TurnInput,
  span: Span,
  turn: { conversation: Conversation; holder: StaffRef; text: string; started: number },
): Promise<Turn> {
  const { conversation, holder, text } = turn;
  const message = await storeHeldCustomerMessage(deps.db, conversation.id, text);
  await sendHandoffNotification(deps.notify, {
    type: 'conversation.message',
    conversationId: conversation.id,
    messageId: message.id,
  });
  const notice = heldNotice(holder);
  span.setAttribute('parley.turn.outcome', 'held');
  metrics.turns.inc({ outcome: 'held', model: deps.chat.id, channel: input.channel });
  const result: TurnResult = {
    conversationId: conversation.id,
    messageId: message.id,
    answer: notice,
    citations: [],
    toolCalls: [],
    escalated: true,
    outcome: 'held',
    model: deps.chat.id,
    offline: deps.chat.offline,
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: Math.round(performance.now() - turn.started),
  };
  return { conversationId: conversation.id, stream: noticeStream(notice), done: Promise.resolve(result) };
}
