import { and, desc, eq } from 'drizzle-orm';
import { type FeedbackInput, maxFeedbackReasonLength } from '../contracts/chat.ts';
import { iso } from '../contracts/primitives.ts';
import type { FeedbackRow } from '../contracts/conversations.ts';
import { type Db } from '../db/client.ts';
import { conversations, feedback, messages } from '../db/schema/index.ts';
import { getOwnConversation, uuidPattern } from './conversations.ts';
import { escalateConversation } from './escalation.ts';
import { type NotifyHandoff, sendHandoffNotification } from './handoff-notifications.ts';
import { type Identity } from './identity.ts';

/**
 * Records a thumbs up or down on an assistant message of the caller's own conversation, replacing any earlier
 * rating of that message; the conversation's rating becomes the latest one. A thumbs-down sends the
 * conversation to the inbox (in the same transaction) unless it is there already; `notify` then tells staff.
 * Returns false when the message is not the caller's.
 */
export async function recordFeedback(
  db: Db,
  identity: Identity,
  input: FeedbackInput,
  notify?: NotifyHandoff,
): Promise<boolean> {
  if (!uuidPattern.test(input.messageId)) return false;
  const [message] = await db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.id, input.messageId), eq(messages.role, 'assistant')));
  if (!message || !(await getOwnConversation(db, identity, message.conversationId))) return false;
  const reason = input.reason?.trim().slice(0, maxFeedbackReasonLength) || null;
  const rating = input.rating === 'up' ? 1 : -1;
  const escalationReason = `Customer rated an answer unhelpful${reason ? `: ${reason}` : ''}`;
  const escalated = await db.transaction(async (tx) => {
    await tx.delete(feedback).where(eq(feedback.messageId, input.messageId));
    await tx.insert(feedback).values({
      conversationId: message.conversationId,
      messageId: input.messageId,
      rating,
      reason,
    });
    await tx.update(conversations).set({ rating }).where(eq(conversations.id, message.conversationId));
    if (rating > 0) return false;
    return escalateConversation(tx, message.conversationId, {
      source: 'thumbs_down',
      reason: escalationReason,
    });
  });
  if (escalated) {
    await sendHandoffNotification(notify, {
      type: 'conversation.escalated',
      conversationId: message.conversationId,
      reason: escalationReason,
    });
  }
  return true;
}

/** The most recent ratings with the answers they were given on, for staff. */
export async function listFeedback(db: Db, limit: number): Promise<FeedbackRow[]> {
  const rows = await db
    .select({
      id: feedback.id,
      conversationId: feedback.conversationId,
      messageId: feedback.messageId,
      rating: feedback.rating,
      reason: feedback.reason,
      createdAt: feedback.createdAt,
      answer: messages.content,
    })
    .from(feedback)
    .leftJoin(messages, eq(messages.id, feedback.messageId))
    .orderBy(desc(feedback.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}
