import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { conversations, customers, messages } from '../../db/schema/index.ts';
import { contactEmailOf } from '../conversation-contact.ts';
import type { NotificationDelivery } from './events.ts';

/** The body of a webhook: what happened, to which conversation, and the message it is about. Never secrets. */
export interface WebhookPayload {
  type: NotificationDelivery['event']['type'];
  /** The event id: retries and every channel carry the same one, so receivers can deduplicate. */
  id: string;
  createdAt: string;
  conversation: {
    id: string;
    status: string;
    title: string | null;
    /** The signed-in customer (`id` as your systems know it), or an anonymous visitor who left an email. */
    customer?: { id: string | null; name: string | null; email: string | null };
    escalationReason: string | null;
  };
  message?: { id: string; role: string; text: string; author?: string | null };
}

/** What the notifications read about a conversation when they are delivered. */
export interface NotificationContext {
  payload: WebhookPayload;
  /** Where the customer can be emailed: their account's address, or the one they left in the chat. */
  customerEmail: string | null;
  /** The last few messages, oldest first, for an escalation email. */
  recent: { role: string; text: string; author: string | null }[];
  /** When the customer last had the conversation open live (on any replica). */
  customerSeenAt: Date | null;
}

type Customer = typeof customers.$inferSelect;

/** Who the webhook names: the signed-in customer, or a visitor who left an email. */
function customerOf(
  customer: Customer | null,
  contactEmail: string | null,
): Pick<WebhookPayload['conversation'], 'customer'> {
  if (customer) {
    return {
      customer: { id: customer.externalId, name: customer.name, email: customer.email ?? contactEmail },
    };
  }
  return contactEmail ? { customer: { id: null, name: null, email: contactEmail } } : {};
}

async function messageOf(
  db: Db,
  conversationId: string,
  messageId: string | undefined,
): Promise<WebhookPayload['message'] | undefined> {
  if (!messageId) return undefined;
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)));
  if (!message) return undefined;
  return {
    id: message.id,
    role: message.role,
    text: message.content,
    ...(message.role === 'staff' ? { author: message.authorName } : {}),
  };
}

/** The last few messages the customer sees, oldest first: tool results and system notes stay out of email. */
async function recentMessages(db: Db, conversationId: string): Promise<NotificationContext['recent']> {
  const rows = await db
    .select({ role: messages.role, text: messages.content, author: messages.authorName })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        inArray(messages.role, ['user', 'assistant', 'staff']),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(6);
  return rows.reverse();
}

/** Reads the conversation an event is about; undefined when it has since been deleted. */
export async function loadNotificationContext(
  db: Db,
  event: NotificationDelivery['event'],
): Promise<NotificationContext | undefined> {
  const [row] = await db
    .select({ conversation: conversations, customer: customers })
    .from(conversations)
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.id, event.conversationId));
  if (!row) return undefined;
  const { conversation, customer } = row;
  const contactEmail = contactEmailOf(conversation);
  const message = await messageOf(db, conversation.id, event.messageId);
  return {
    payload: {
      type: event.type,
      id: event.id,
      createdAt: event.createdAt,
      conversation: {
        id: conversation.id,
        status: conversation.status,
        title: conversation.title,
        ...customerOf(customer, contactEmail),
        escalationReason: conversation.escalationReason ?? event.reason ?? null,
      },
      ...(message ? { message } : {}),
    },
    customerEmail: customer?.email ?? contactEmail,
    recent: await recentMessages(db, conversation.id),
    customerSeenAt: conversation.customerSeenAt,
  };
}
