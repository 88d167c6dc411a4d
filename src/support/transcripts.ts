import { eq } from 'drizzle-orm';
import type { MessageView, OwnTranscript } from '../contracts/chat.ts';
import { iso } from '../contracts/common.ts';
import type { ToolCall, Transcript, TranscriptMessage } from '../contracts/conversations.ts';
import { type Db } from '../db/client.ts';
import { conversations, type Feedback, feedback, type Message } from '../db/schema/index.ts';
import { citationView } from './citations.ts';
import { getOwnConversation, listMessages } from './conversations.ts';
import { type Identity } from './identity.ts';

/** A stored message as the customer sees it: text and linked citations. */
export function messageView(message: Message): MessageView {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    citations: message.citations.map(citationView),
    createdAt: message.createdAt.toISOString(),
  };
}

/** One of the caller's conversations with its user and assistant messages; undefined when not theirs. */
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
    messages: rows.filter((m) => m.role === 'user' || m.role === 'assistant').map(messageView),
  };
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
      channel: conversation.channel,
      status: conversation.status,
      title: conversation.title,
      summary: conversation.summary,
      rating: conversation.rating,
      escalationReason: conversation.escalationReason,
      metadata: conversation.metadata,
      createdAt: iso(conversation.createdAt),
      updatedAt: iso(conversation.updatedAt),
    },
    messages: rows.map((m) => transcriptMessage(m, ratings)),
  };
}
