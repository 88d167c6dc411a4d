import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, type SQL, sql, type WithSubquery } from 'drizzle-orm';
import type { ConversationItem } from '../contracts/chat.ts';
import { uuidPattern } from '../contracts/chat.ts';
import type { ConversationQuery, ConversationRow } from '../contracts/conversations.ts';
import { type Db } from '../db/client.ts';
import {
  type Citation,
  type Conversation,
  conversations,
  customers,
  type Message,
  messages,
} from '../db/schema/index.ts';
import { conversationEventNotice } from './events/bus.ts';
import { type Identity } from './identity.ts';

export type Channel = 'cli' | 'web' | 'widget' | 'api';

/** The conversations an identity may see: a customer's own, or an anonymous visitor's own. */
function ownedBy(identity: Identity): SQL {
  return identity.kind === 'customer'
    ? eq(conversations.customerId, identity.customerId)
    : and(eq(conversations.visitorId, identity.visitorId), isNull(conversations.customerId))!;
}

export async function startConversation(
  db: Db,
  identity: Identity,
  channel: Channel,
  id?: string,
): Promise<Conversation> {
  const [row] = await db
    .insert(conversations)
    .values({
      ...(id ? { id } : {}),
      customerId: identity.kind === 'customer' ? identity.customerId : null,
      visitorId: identity.kind === 'visitor' ? identity.visitorId : null,
      channel,
    })
    .returning();
  return row!;
}

/** Whether any conversation has this id (whoever owns it). */
export async function conversationExists(db: Db, id: string): Promise<boolean> {
  if (!uuidPattern.test(id)) return false;
  const [row] = await db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, id));
  return Boolean(row);
}

export { uuidPattern };

/** Which conversation a turn goes to, given the id the caller sent with it. */
export type ConversationTarget =
  /** No id, or not a UUID: a new conversation under a new id. */
  | { kind: 'fresh' }
  /** The caller's own conversation: the turn continues it. */
  | { kind: 'own'; conversationId: string }
  /** An id nobody uses yet: a new conversation under that id. */
  | { kind: 'unused'; id: string }
  /** Someone else's conversation: to be refused exactly like a missing one. */
  | { kind: 'foreign' };

/** Where a turn sent with conversation id `id` by `identity` goes. */
export async function targetConversation(
  db: Db,
  identity: Identity,
  id: string | undefined,
): Promise<ConversationTarget> {
  if (!id || !uuidPattern.test(id)) return { kind: 'fresh' };
  if (await getOwnConversation(db, identity, id)) return { kind: 'own', conversationId: id };
  return (await conversationExists(db, id)) ? { kind: 'foreign' } : { kind: 'unused', id };
}

/** A conversation if this identity owns it; someone else's is indistinguishable from a missing one. */
export async function getOwnConversation(
  db: Db,
  identity: Identity,
  id: string,
): Promise<Conversation | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), ownedBy(identity)));
  return row;
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  summary: string | null;
  status: Conversation['status'];
  channel: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An identity's conversations, most recent first. */
export async function listOwnConversations(
  db: Db,
  identity: Identity,
  limit = 20,
): Promise<ConversationSummary[]> {
  return db
    .select({
      id: conversations.id,
      title: conversations.title,
      summary: conversations.summary,
      status: conversations.status,
      channel: conversations.channel,
      createdAt: conversations.createdAt,
      updatedAt: conversations.updatedAt,
    })
    .from(conversations)
    .where(ownedBy(identity))
    .orderBy(desc(conversations.updatedAt))
    .limit(limit);
}

/** An identity's conversations as the chat app lists them, most recent first. */
export async function listOwnConversationItems(
  db: Db,
  identity: Identity,
  limit = 50,
): Promise<ConversationItem[]> {
  const rows = await listOwnConversations(db, identity, limit);
  return rows.map((c) => ({
    id: c.id,
    title: c.title,
    status: c.status,
    channel: c.channel,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }));
}

export interface NewMessage {
  conversationId: string;
  role: Message['role'];
  content: string;
  parts?: unknown[];
  citations?: Citation[];
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
}

export interface AppendOptions {
  /** Also publishes the `message` event, sent when the statement's transaction commits. */
  publish?: boolean;
  /** More writes that belong with the message (its agent run), as CTEs of the same statement. */
  alongside?: (messageId: string) => WithSubquery[];
}

/**
 * Appends a message and touches the conversation (its title is the first user message), in one statement: a
 * turn stores two messages, and each round trip to the database is a turn's latency.
 */
export async function appendMessage(
  db: Db,
  message: NewMessage,
  options: AppendOptions = {},
): Promise<Message> {
  // Chosen here rather than by the column default, so the event and `alongside` can name it.
  const id = randomUUID();
  const inserted = db.$with('appended_message').as(
    db
      .insert(messages)
      .values({ ...message, id })
      .returning(),
  );
  const title = message.role === 'user' ? message.content.replace(/\s+/g, ' ').slice(0, 80) : null;
  const event = { kind: 'message', conversationId: message.conversationId, messageId: id } as const;
  // A data-modifying CTE runs to completion, its RETURNING included, whether or not the query reads it.
  const touched = db.$with('touched_conversation').as(
    db
      .update(conversations)
      .set({ updatedAt: new Date(), title: sql`coalesce(${conversations.title}, ${title})` })
      .where(eq(conversations.id, message.conversationId))
      .returning(
        options.publish
          ? { notified: sql`${conversationEventNotice(event)}`.as('notified') }
          : { id: conversations.id },
      ),
  );
  const [row] = await db
    .with(inserted, touched, ...(options.alongside?.(id) ?? []))
    .select()
    .from(inserted);
  return row!;
}

/** A message as the agent's history window reads it: who wrote it and its text. */
export interface HistoryMessage {
  role: Message['role'];
  content: string;
}

/**
 * A conversation this identity owns, with its messages in order as text only (what the agent's history window
 * needs, without the tool results and citations stored beside each answer), in one round trip: a turn reads
 * both before anything else. Someone else's conversation is indistinguishable from a missing one.
 */
export async function getOwnConversationWithHistory(
  db: Db,
  identity: Identity,
  id: string,
): Promise<{ conversation: Conversation; history: HistoryMessage[] } | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const history = sql<HistoryMessage[]>`(
    SELECT coalesce(json_agg(json_build_object('role', m.role, 'content', m.content)
      ORDER BY m.created_at, m.id), '[]'::json)
    FROM ${messages} m WHERE m.conversation_id = ${id})`.mapWith(
    // Both drivers parse json; the fallback keeps a driver configured otherwise working.
    (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as HistoryMessage[],
  );
  const [row] = await db
    .select({ conversation: conversations, history })
    .from(conversations)
    .where(and(eq(conversations.id, id), ownedBy(identity)));
  return row;
}

/** The messages of a conversation in order. */
export async function listMessages(db: Db, conversationId: string): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export async function setConversationStatus(
  db: Db,
  conversationId: string,
  status: Conversation['status'],
  escalationReason?: string,
): Promise<void> {
  await db
    .update(conversations)
    .set({ status, updatedAt: new Date(), ...(escalationReason ? { escalationReason } : {}) })
    .where(eq(conversations.id, conversationId));
}

/** When a visitor signs in, their anonymous conversations become the customer's. */
export async function linkVisitorToCustomer(db: Db, visitorId: string, customerId: string): Promise<number> {
  const rows = await db
    .update(conversations)
    .set({ customerId, updatedAt: new Date() })
    .where(and(eq(conversations.visitorId, visitorId), isNull(conversations.customerId)))
    .returning({ id: conversations.id });
  return rows.length;
}

/** Summaries of a customer's earlier conversations (excluding `exceptId`), for the agent's context. */
export async function earlierConversationSummaries(
  db: Db,
  identity: Identity,
  exceptId: string | undefined,
  limit = 5,
): Promise<{ id: string; when: Date; status: string; summary: string }[]> {
  const rows = await listOwnConversations(db, identity, limit + 1);
  return rows
    .filter((c) => c.id !== exceptId && (c.summary || c.title))
    .slice(0, limit)
    .map((c) => ({ id: c.id, when: c.updatedAt, status: c.status, summary: c.summary ?? c.title! }));
}

export interface StaffConversationFilter {
  status?: Conversation['status'] | undefined;
  /** Only conversations rated thumbs down. */
  lowRated?: boolean | undefined;
  customerId?: string | undefined;
  /** Escalated first, then thumbs-down, then the rest; newest first within each. */
  triage?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface StaffConversationRow extends ConversationSummary {
  customerId: string | null;
  customer: string | null;
  customerName: string | null;
  visitorId: string | null;
  rating: number | null;
  escalationReason: string | null;
  messages: number;
}

/** Every conversation, for staff (CLI, admin console); filtered and ordered for triage when asked. */
export async function listConversations(
  db: Db,
  filter: StaffConversationFilter = {},
): Promise<StaffConversationRow[]> {
  const where = and(
    filter.status ? eq(conversations.status, filter.status) : undefined,
    filter.lowRated ? sql`${conversations.rating} < 0` : undefined,
    filter.customerId ? eq(conversations.customerId, filter.customerId) : undefined,
  );
  const triage = sql`CASE WHEN ${conversations.status} = 'escalated' THEN 0
    WHEN ${conversations.rating} < 0 THEN 1 ELSE 2 END`;
  return db
    .select({
      id: conversations.id,
      title: conversations.title,
      summary: conversations.summary,
      status: conversations.status,
      channel: conversations.channel,
      createdAt: conversations.createdAt,
      updatedAt: conversations.updatedAt,
      customerId: conversations.customerId,
      customer: customers.externalId,
      customerName: customers.name,
      visitorId: conversations.visitorId,
      rating: conversations.rating,
      escalationReason: conversations.escalationReason,
      messages: sql<number>`(SELECT count(*)::int FROM messages m WHERE m.conversation_id = ${conversations.id})`,
    })
    .from(conversations)
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(where)
    .orderBy(...(filter.triage ? [triage] : []), desc(conversations.updatedAt))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
}

/** The staff listing: by default escalated first, then thumbs-down, then the rest. */
export async function listStaffConversations(db: Db, query: ConversationQuery): Promise<ConversationRow[]> {
  const rows = await listConversations(db, {
    status: query.status,
    lowRated: query.rating === 'low',
    customerId: query.customerId,
    triage: !query.status,
    limit: query.limit,
    offset: query.offset,
  });
  return rows.map(({ summary: _summary, ...row }) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}
