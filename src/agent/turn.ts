import { type AsyncIterableStream, type TextStreamPart, type ToolSet } from 'ai';
import { type Db } from '../db/client.ts';
import { type Citation } from '../db/schema/index.ts';
import { type Embedder } from '../knowledge/embed/embedder.ts';
import { type Channel } from '../support/conversations.ts';
import { type Identity } from '../support/identity.ts';
import type { ChatModel } from './models/index.ts';

export interface AgentSettings {
  maxSteps: number;
  historyTokens: number;
  abstainThreshold: number;
}

export interface AgentDeps {
  db: Db;
  embedder: Embedder;
  chat: ChatModel;
  settings: AgentSettings;
  /** Summarises messages that leave the history window; deterministic when absent. */
  summarise?: (messages: { role: string; content: string }[]) => Promise<string>;
  now?: () => Date;
}

export interface TurnInput {
  identity: Identity;
  message: string;
  conversationId?: string | undefined;
  /** Starts the new conversation under this id (a client-chosen UUID) instead of a generated one. */
  newConversationId?: string | undefined;
  channel: Channel;
  abortSignal?: AbortSignal;
}

export type TurnOutcome = 'answered' | 'abstained' | 'escalated' | 'error';

export interface TurnResult {
  conversationId: string;
  messageId: string;
  answer: string;
  citations: Citation[];
  toolCalls: { name: string; input: unknown }[];
  escalated: boolean;
  outcome: TurnOutcome;
  model: string;
  offline: boolean;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
}

export interface Turn {
  conversationId: string;
  /** The model's stream: text deltas, tool calls and results as they happen. */
  stream: AsyncIterableStream<TextStreamPart<ToolSet>>;
  /** Resolves once the answer is stored. */
  done: Promise<TurnResult>;
}

/** A request the caller must fix: empty or oversized message, unknown conversation. */
export class TurnInputError extends Error {
  constructor(
    readonly code: 'empty_message' | 'message_too_long' | 'conversation_not_found',
    message: string,
  ) {
    super(message);
    this.name = 'TurnInputError';
  }
}
