import { z } from '@hono/zod-openapi';
import { MessageView } from './chat.ts';

// Conversations as staff see them: the triage listing, full transcripts with tool calls and figures, feedback.

export const conversationStatuses = ['open', 'resolved', 'escalated'] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const ConversationQuery = z.object({
  status: ConversationStatus.optional(),
  rating: z.enum(['low']).optional(),
  customerId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ConversationQuery = z.infer<typeof ConversationQuery>;

/** A conversation in the staff listing. */
export const ConversationRow = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    status: z.string(),
    channel: z.string(),
    customerId: z.string().nullable(),
    customer: z.string().nullable(),
    customerName: z.string().nullable(),
    visitorId: z.string().nullable(),
    rating: z.number().nullable(),
    escalationReason: z.string().nullable(),
    messages: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ConversationRow');
export type ConversationRow = z.infer<typeof ConversationRow>;

export const ConversationRows = z.object({ conversations: z.array(ConversationRow) });
export type ConversationRows = z.infer<typeof ConversationRows>;

/** One stored step of an assistant turn (messages.parts): a tool call with its input and output. */
export const ToolCall = z
  .object({
    type: z.string().optional(),
    name: z.string().optional(),
    input: z.unknown().optional(),
    output: z.unknown().optional(),
  })
  .passthrough();
export type ToolCall = z.infer<typeof ToolCall>;

export const MessageFeedback = z.object({
  rating: z.number(),
  reason: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type MessageFeedback = z.infer<typeof MessageFeedback>;

export const TranscriptMessage = MessageView.extend({
  toolCalls: z.array(ToolCall),
  model: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  latencyMs: z.number().nullable(),
  feedback: z.array(MessageFeedback),
}).openapi('TranscriptMessage');
export type TranscriptMessage = z.infer<typeof TranscriptMessage>;

export const TranscriptConversation = z.object({
  id: z.string(),
  title: z.string().nullable(),
  status: z.string(),
  channel: z.string(),
  customerId: z.string().nullable(),
  visitorId: z.string().nullable(),
  /** The email the customer left in the chat (the "leave your email" form) to be answered there. */
  contactEmail: z.string().nullable(),
  summary: z.string().nullable(),
  rating: z.number().nullable(),
  escalationReason: z.string().nullable(),
  escalationSource: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  /** Since when the customer has been waiting for a person; null once answered. */
  waitingSince: z.string().nullable(),
  /** The person holding the conversation (the bot is silent meanwhile); null when the agent has it. */
  assignee: z.object({ name: z.string(), tokenId: z.string().nullable() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type TranscriptConversation = z.infer<typeof TranscriptConversation>;

/** A conversation with every message, its tool calls, citations, figures and ratings. */
export const Transcript = z
  .object({ conversation: TranscriptConversation, messages: z.array(TranscriptMessage) })
  .openapi('Transcript');
export type Transcript = z.infer<typeof Transcript>;

export const ResolveResult = z.object({ status: z.literal('resolved'), solutionId: z.string().nullable() });
export type ResolveResult = z.infer<typeof ResolveResult>;

export const FeedbackQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** A rating with the answer it was given on. */
export const FeedbackRow = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string().nullable(),
    rating: z.number(),
    reason: z.string().nullable(),
    createdAt: z.string().nullable(),
    answer: z.string().nullable(),
  })
  .openapi('FeedbackRow');
export type FeedbackRow = z.infer<typeof FeedbackRow>;

export const FeedbackRows = z.object({ feedback: z.array(FeedbackRow) });
export type FeedbackRows = z.infer<typeof FeedbackRows>;
