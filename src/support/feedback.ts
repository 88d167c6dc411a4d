import { and, eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { conversations, feedback, messages } from '../db/schema/index.ts';
import { getOwnConversation, uuidPattern } from './conversations.ts';
import { type Identity } from './identity.ts';

export const maxFeedbackReasonLength = 1000;

/**
 * Records a thumbs up (+1) or down (-1) on an assistant message of the caller's own conversation, replacing
 * any earlier rating of that message; the conversation's rating becomes the latest one. Returns false when
 * the message is not the caller's.
 */
export async function recordFeedback(
  db: Db,
  identity: Identity,
  input: { messageId: string; rating: 1 | -1; reason?: string | undefined },
): Promise<boolean> {
  if (!uuidPattern.test(input.messageId)) return false;
  const [message] = await db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.id, input.messageId), eq(messages.role, 'assistant')));
  if (!message || !(await getOwnConversation(db, identity, message.conversationId))) return false;
  const reason = input.reason?.trim().slice(0, maxFeedbackReasonLength) || null;
  await db.transaction(async (tx) => {
    await tx.delete(feedback).where(eq(feedback.messageId, input.messageId));
    await tx.insert(feedback).values({
      conversationId: message.conversationId,
      messageId: input.messageId,
      rating: input.rating,
      reason,
    });
    await tx
      .update(conversations)
      .set({ rating: input.rating })
      .where(eq(conversations.id, message.conversationId));
  });
  return true;
}
