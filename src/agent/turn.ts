import { type AsyncIterableStream, type TextStreamPart, type ToolSet } from 'ai';
import { type Db } from '../db/client.ts';
import { type Citation } from '../db/schema/index.ts';
import { type Embedder } from '../knowledge/embed/embedder.ts';
import { type Channel } from '../support/conversations.ts';
import { type NotifyHandoff } from '../support/handoff-notifications.ts';
import { type Identity } from '../support/identity.ts';
import type { Redact } from '../ops/redact.ts';
import type { ChatModel } from './models/index.ts';
import type { Summariser } from './summarise.ts';

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
  /** Folds messages leaving the history window into the conversation's summary; deterministic when absent. */
  summarise?: Summariser;
  now?: () => Date;
  /** Tells staff outside the app (webhooks, email) about hand-offs; nothing is sent when absent. */
  notify?: NotifyHandoff;
  /** Blanks configured secrets in what a run records (a provider error may echo the API key). */
  redact?: Redact;
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

/** How a turn ended; `held`: a person holds the conversation, so the agent stored the message and stayed silent. */
export type TurnOutcome = 'answered' | 'abstained' | 'escalated' | 'held' | 'error';

export interface TurnResult {
  conversationId: string;
  /** The stored answer; for a `held` turn, which has none, the customer's stored message. */
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
  /**
   * The answer's stream: text deltas, tool calls and results as they happen (a hand-off rule's instruction
   * comes first; while a person holds the conversation, only a short notice).
   */
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
