import type { HandoffResult } from '../contracts/chat.ts';
import { maxHandoffReasonLength } from '../contracts/chat.ts';
import { type Db } from '../db/client.ts';
import { appendMessage, getOwnConversation, setConversationStatus } from './conversations.ts';
import { type Identity } from './identity.ts';

/** What the customer is told when their conversation passes to a person. */
export const handoffMessage =
  'I have passed this conversation to our support team. A person will reply here as soon as possible.';

/**
 * A customer asks for a person: their conversation becomes escalated and they are told so, once. Undefined
 * when the conversation is not theirs.
 */
export async function handOffConversation(
  db: Db,
  identity: Identity,
  conversationId: string,
  reason: string | undefined,
): Promise<HandoffResult | undefined> {
  const conversation = await getOwnConversation(db, identity, conversationId);
  if (!conversation) return undefined;
  if (conversation.status !== 'escalated') {
    await db.transaction(async (tx) => {
      await setConversationStatus(
        tx,
        conversation.id,
        'escalated',
        reason?.slice(0, maxHandoffReasonLength) || 'Customer asked for a person',
      );
      await appendMessage(tx, {
        conversationId: conversation.id,
        role: 'assistant',
        content: handoffMessage,
      });
    });
  }
  return { status: 'escalated', message: handoffMessage };
}
