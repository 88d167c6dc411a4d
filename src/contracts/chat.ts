import { z } from '@hono/zod-openapi';
import type { UIMessage } from 'ai';

// What customers and the chat app exchange with Parley: the `useChat` turn, the chat page's info, the caller's
// own conversations, feedback and hand-off. The type import from 'ai' is erased at build time.

/** Conversation and message ids: UUIDs of any version. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest reason a customer may give with a rating, in characters. */
export const maxFeedbackReasonLength = 1000;

/** The longest reason a customer may give when asking for a person, in characters. */
export const maxHandoffReasonLength = 500;

/** Metadata on each assistant message of the `/api/chat` stream. */
export const ChatMetadata = z.object({
  conversationId: z.string(),
  model: z.string(),
  /** True when the offline answer model (no OpenAI key) is answering. */
  offline: z.boolean(),
  /** The stored assistant message, for feedback; sent when the answer is stored. */
  messageId: z.string().optional(),
  outcome: z.string().optional(),
  escalated: z.boolean().optional(),
  /** Who wrote a message that is not the agent's: `staff` (a person, named by `author`) or a hand-off `notice`. */
  kind: z.enum(['staff', 'notice']).optional(),
  author: z.string().optional(),
});
export type ChatMetadata = z.infer<typeof ChatMetadata>;

export type ParleyUIMessage = UIMessage<ChatMetadata>;

const UIMessagePart = z.object({ type: z.string() }).passthrough();

/** What `useChat` (AI SDK UI) posts: the chat id and its messages; Parley reads only the last user message. */
export const ChatRequest = z
  .object({
    id: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'Chat id; a UUID continues that conversation' }),
    conversationId: z.string().regex(uuidPattern).optional(),
    messages: z
      .array(
        z
          .object({
            id: z.string().max(100).optional(),
            role: z.enum(['user', 'assistant', 'system']),
            parts: z.array(UIMessagePart).max(200),
          })
          .passthrough(),
      )
      .min(1)
      .max(500),
    trigger: z.string().optional(),
    messageId: z.string().optional(),
    channel: z.enum(['web', 'widget']).default('web'),
  })
  .openapi('ChatRequest');
export type ChatRequest = z.infer<typeof ChatRequest>;

/** What the chat page shows before the first message. */
export const Info = z
  .object({
    company: z.string(),
    greeting: z.string(),
    model: z.string(),
    offline: z.boolean().openapi({ description: 'The offline answer model is answering (no OpenAI key)' }),
    version: z.string(),
  })
  .openapi('Info');
export type Info = z.infer<typeof Info>;

/** One of the caller's own conversations. */
export const ConversationItem = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    status: z.string(),
    channel: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ConversationItem');
export type ConversationItem = z.infer<typeof ConversationItem>;

export const ConversationList = z.object({ conversations: z.array(ConversationItem) });
export type ConversationList = z.infer<typeof ConversationList>;

/** A passage an answer relied on, with where it links and how it is labelled. */
export const CitationView = z
  .object({
    source: z.string(),
    url: z.string(),
    title: z.string(),
    documentId: z.string(),
    versionId: z.string(),
    chunkId: z.string(),
  })
  .openapi('CitationView');
export type CitationView = z.infer<typeof CitationView>;

export const MessageView = z
  .object({
    id: z.string(),
    role: z.string().openapi({
      description:
        '`user`, `assistant`, `staff` (a person on the support team) or `system` (a hand-off notice)',
    }),
    content: z.string(),
    /** The display name of the staff member who wrote a `staff` message or whom a notice is about. */
    author: z.string().nullable(),
    citations: z.array(CitationView),
    createdAt: z.string(),
  })
  .openapi('MessageView');
export type MessageView = z.infer<typeof MessageView>;

/** One of the caller's conversations with its user and assistant messages. */
export const OwnTranscript = z
  .object({ conversation: ConversationItem, messages: z.array(MessageView) })
  .openapi('OwnTranscript');
export type OwnTranscript = z.infer<typeof OwnTranscript>;

export const HandoffInput = z.object({ reason: z.string().max(maxHandoffReasonLength).optional() });
export type HandoffInput = z.infer<typeof HandoffInput>;

export const HandoffResult = z.object({ status: z.literal('escalated'), message: z.string() });
export type HandoffResult = z.infer<typeof HandoffResult>;

export const FeedbackInput = z.object({
  messageId: z.string().uuid(),
  rating: z.enum(['up', 'down']),
  reason: z.string().max(maxFeedbackReasonLength).optional(),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;
