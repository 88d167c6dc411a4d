import type { HandoffResult } from '../contracts/chat.ts';
import { maxHandoffReasonLength } from '../contracts/chat.ts';
import { and, eq, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { conversations, messages } from '../db/schema/index.ts';
import { handoffStatus } from './business-hours.ts';
import { companyProfile } from './company-profile.ts';
import { appendMessage, getOwnConversation } from './conversations.ts';
import { escalateConversation } from './escalation.ts';
import { publishConversationEvent } from './events/index.ts';
import { type NotifyHandoff, sendHandoffNotification } from './handoff-notifications.ts';
import { type Identity } from './identity.ts';

/** What the customer is told when their conversation passes to a person (inside business hours, or none set). */
export const handoffMessage =
  'I have passed this conversation to our support team. A person will reply here as soon as possible.';

/**
 * A customer asks for a person: their conversation goes to the inbox and they are told so, once; outside
 * business hours they are told when people are back. `notify` tells staff. Undefined when the conversation is
 * not theirs.
 */
export async function handOffConversation(
  db: Db,
  identity: Identity,
  conversationId: string,
  reason: string | undefined,
  options: { notify?: NotifyHandoff; now?: Date } = {},
): Promise<HandoffResult | undefined> {
  const conversation = await getOwnConversation(db, identity, conversationId);
  if (!conversation) return undefined;
  const hours = handoffStatus(await companyProfile(db), options.now ?? new Date());
  const message = hours.open ? handoffMessage : hours.text;
  const why = reason?.slice(0, maxHandoffReasonLength) || 'Customer asked for a person';
  const escalated = await db.transaction(async (tx) => {
    const newly = await escalateConversation(tx, conversation.id, { source: 'requested', reason: why });
    // Escalated already (a thumbs-down, a rule): the customer is still told, but once per escalation.
    if (!newly && (await toldSinceEscalation(tx, conversation.id))) return false;
    const notice = await appendMessage(tx, {
      conversationId: conversation.id,
      role: 'assistant',
      content: message,
      parts: [{ type: 'handoff', event: 'requested' }],
    });
    await publishConversationEvent(tx, {
      kind: 'message',
      conversationId: conversation.id,
      messageId: notice.id,
    });
    return newly;
  });
  if (escalated) {
    await sendHandoffNotification(options.notify, {
      type: 'conversation.escalated',
      conversationId: conversation.id,
      reason: why,
    });
  }
  return { status: 'escalated', message };
}

/** Whether the customer was already told of the hand-off since the conversation was last escalated. */
async function toldSinceEscalation(db: Db, conversationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.parts} @> '[{"type":"handoff","event":"requested"}]'::jsonb`,
        sql`${messages.createdAt} >= coalesce(${conversations.escalatedAt}, ${conversations.createdAt})`,
      ),
    )
    .limit(1);
  return Boolean(row);
}
