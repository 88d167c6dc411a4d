import type { UIMessage } from 'ai';

// Shared with the web app (type-only imports), so this file imports nothing from Node.

/** Metadata on each assistant message of the `/api/chat` stream. */
export interface ChatMetadata {
  conversationId: string;
  model: string;
  /** True when the offline answer model (no OpenAI key) is answering. */
  offline: boolean;
  /** The stored assistant message, for feedback; sent when the answer is stored. */
  messageId?: string;
  outcome?: string;
  escalated?: boolean;
}

export type ParleyUIMessage = UIMessage<ChatMetadata>;
