import { numberCitations } from './citation-markers.ts';
import { and, eq, inArray } from 'drizzle-orm';
import type { MessageView, OwnTranscript } from '../contracts/chat.ts';
import { iso } from '../contracts/primitives.ts';
import type { ToolCall, Transcript, TranscriptMessage } from '../contracts/conversations.ts';
import { type Db } from '../db/client.ts';
import { conversations, type Feedback, feedback, type Message, messages } from '../db/schema/index.ts';
import { citationView } from './citations.ts';
import { contactEmailOf } from './conversation-contact.ts';
import { getOwnConversation, listMessages, uuidPattern } from './conversations.ts';
import { type Identity } from './identity.ts';

/**
 * The roles a customer sees in their transcript: their messages, the agent's answers, staff replies and
 * hand-off notices. Internal notes live in their own table and never appear here.
 */
const customerVisibleRoles: Message['role'][] = ['user', 'assistant', 'staff', 'system'];

/** A stored message as the customer sees it: text, linked citations, and the staff author's display name. */
export function messageView(message: Message): MessageView {
  // Answers are stored with the model's own markers; readers see them numbered like the citation list.
  const numbered = numberCitations(message.content, message.citations);
  return {
    id: message.id,
    role: message.role,
    content: numbered.text,
    author: message.authorName,
    citations: numbered.citations.map(citationView),
    createdAt: message.createdAt.toISOString(),
  };
}

/** One of the caller's conversations with the messages they may see; undefined when not theirs. */
export async function getOwnTranscript(
  db: Db,
  identity: Identity,
  conversationId: string,
): Promise<OwnTranscript | undefined> {
  const conversation = await getOwnConversation(db, identity, conversationId);
  if (!conversation) return undefined;
  const rows = await listMessages(db, conversation.id);
  return {
    conversation: {
      id: conversation.id,
      title: conversation.title,
      status: conversation.status,
      channel: conversation.channel,
      createdAt: conversation.createdAt.toISOString(),
      updatedAt: conversation.updatedAt.toISOString(),
    },
    messages: rows.filter((m) => customerVisibleRoles.includes(m.role)).map(messageView),
  };
}

/**
 * One message of a conversation as its customer may see it, for live delivery; undefined for a role the
 * customer does not see or a message of another conversation.
 */
export async function getVisibleMessage(
  db: Db,
  conversationId: string,
  messageId: string,
): Promise<MessageView | undefined> {
  if (!uuidPattern.test(messageId)) return undefined;
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        eq(messages.conversationId, conversationId),
        inArray(messages.role, customerVisibleRoles),
      ),
    );
  return row ? messageView(row) : undefined;
}

function transcriptMessage(message: Message, ratings: Feedback[]): TranscriptMessage {
  return {
    ...messageView(message),
    toolCalls: message.parts as ToolCall[],
    model: message.model,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    latencyMs: message.latencyMs,
    feedback: ratings
      .filter((f) => f.messageId === message.id)
      .map((f) => ({ rating: f.rating, reason: f.reason, createdAt: iso(f.createdAt) })),
  };
}

/** Any conversation, for staff: every message with its tool calls, citations, figures and ratings. */
export async function getTranscript(db: Db, conversationId: string): Promise<Transcript | undefined> {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  if (!conversation) return undefined;
  const rows = await listMessages(db, conversation.id);
  const ratings = await db.select().from(feedback).where(eq(feedback.conversationId, conversation.id));
  return {
    conversation: {
      id: conversation.id,
      customerId: conversation.customerId,
      visitorId: conversation.visitorId,
      contactEmail: contactEmailOf(conversation),
      channel: conversation.channel,
      status: conversation.status,
      title: conversation.title,
      summary: conversation.summary,
      rating: conversation.rating,
      escalationReason: conversation.escalationReason,
      escalationSource: conversation.escalationSource,
      escalatedAt: iso(conversation.escalatedAt),
      waitingSince: iso(conversation.waitingSince),
      assignee: conversation.assigneeName
        ? { name: conversation.assigneeName, tokenId: conversation.assigneeTokenId }
        : null,
      metadata: conversation.metadata,
      createdAt: iso(conversation.createdAt),
      updatedAt: iso(conversation.updatedAt),
    },
    messages: rows.map((m) => transcriptMessage(m, ratings)),
  };
}

/** Where a conversation stands for its customer: its status and who (if anyone) holds it. */
export async function conversationState(
  db: Db,
  conversationId: string,
): Promise<{ status: string; assignee: string | null } | undefined> {
  const [row] = await db
    .select({ status: conversations.status, assignee: conversations.assigneeName })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return row ? { status: row.status, assignee: row.status === 'resolved' ? null : row.assignee } : undefined;
}

/** Notes that the customer has this conversation open live, for notifications deciding whether to email. */
export async function markCustomerWatching(db: Db, conversationId: string, watching: boolean): Promise<void> {
  await db
    .update(conversations)
    .set({ customerSeenAt: watching ? new Date() : null })
    .where(eq(conversations.id, conversationId));
}

/** Whether the customer had this conversation open live within `withinMs` (on any replica). */
export async function customerWatching(db: Db, conversationId: string, withinMs = 60_000): Promise<boolean> {
  const [row] = await db
    .select({ seen: conversations.customerSeenAt })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return Boolean(row?.seen && Date.now() - row.seen.getTime() < withinMs);
}
