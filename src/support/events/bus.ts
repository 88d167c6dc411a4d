import { type SQL, sql } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';

/** The Postgres notification channel every process publishes conversation events on. */
export const eventChannel = 'parley_conversation_events';

/**
 * Something changed in a conversation. Payloads carry ids only: a receiver reads the rows it may show, so an
 * event never leaks what its listener is not allowed to see.
 * - `message`: a message was stored (customer, agent, staff, or a hand-off notice).
 * - `conversation`: its status, assignee or escalation changed.
 * - `note`: staff added an internal note.
 */
export interface ConversationEvent {
  kind: 'message' | 'conversation' | 'note';
  conversationId: string;
  messageId?: string;
  noteId?: string;
}

/**
 * Publishes an event to every process sharing the database (Postgres NOTIFY; PGlite delivers it in-process).
 * Call it with the transaction that made the change: the notification is sent when it commits, and never when
 * it rolls back, so listeners only ever read committed rows.
 */
export async function publishConversationEvent(db: Db, event: ConversationEvent): Promise<void> {
  await db.execute(sql`SELECT ${conversationEventNotice(event)}`);
}

/**
 * The `pg_notify` call that publishes `event`, for a statement that makes the change itself (one round trip
 * instead of two; see `appendMessage`). Like `publishConversationEvent`, it is sent when the statement commits.
 */
export function conversationEventNotice(event: ConversationEvent): SQL {
  return sql`pg_notify(${eventChannel}, ${JSON.stringify(event)})`;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const kinds = new Set(['message', 'conversation', 'note']);

/** A notification's payload as an event, or undefined when it is not one of ours. */
export function parseConversationEvent(payload: string): ConversationEvent | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ConversationEvent>;
    if (!kinds.has(value.kind ?? '') || !uuid.test(value.conversationId ?? '')) return undefined;
    return {
      kind: value.kind!,
      conversationId: value.conversationId!,
      ...(value.messageId && uuid.test(value.messageId) ? { messageId: value.messageId } : {}),
      ...(value.noteId && uuid.test(value.noteId) ? { noteId: value.noteId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Who a subscription serves: the customer watching their conversation, or staff watching the inbox. */
export type Watcher = 'customer' | 'staff';

export interface SubscribeOptions {
  /** Only this conversation's events (all conversations when absent). */
  conversationId?: string;
  watcher: Watcher;
  onEvent: (event: ConversationEvent) => void;
  /** The bus closed (server shutting down): the subscriber should end its stream. */
  onClose: () => void;
}

export interface Subscription {
  /** Resolves once events published from now on will be delivered. */
  ready: Promise<void>;
  unsubscribe(): void;
}

/**
 * Conversation events from every process sharing the database, fanned out to this process's subscribers (the
 * server-sent event streams of customers and staff). One listening connection per process, opened on the
 * first subscription.
 */
export interface EventBus {
  subscribe(options: SubscribeOptions): Subscription;
  /** Whether a customer has this conversation open live on this process. */
  isWatchedHere(conversationId: string): boolean;
  /** Stops listening and closes every subscription (their streams end), e.g. on shutdown. */
  close(): Promise<void>;
}
