import { and, desc, eq, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Inbox, InboxItem, InboxQuery, StaffRef } from '../contracts/inbox.ts';
import { type Db } from '../db/client.ts';
import { conversations, customers } from '../db/schema/index.ts';

/** Conversations that need a person: escalated, or held by someone, and not resolved. */
const needsPerson = and(
  ne(conversations.status, 'resolved'),
  or(eq(conversations.status, 'escalated'), sql`${conversations.assigneeName} IS NOT NULL`),
)!;

/** Held by `me`: by token, or (for the admin token, which has none) by name. */
function heldBy(me: StaffRef): SQL {
  return me.tokenId
    ? eq(conversations.assigneeTokenId, me.tokenId)
    : and(isNull(conversations.assigneeTokenId), eq(conversations.assigneeName, me.name))!;
}

const unassigned = isNull(conversations.assigneeName);

// The newest message, read once per listed row; the messages index on (conversation_id, created_at) serves it.
const lastMessage = sql<{ role: string; content: string; author: string | null; created_at: string } | null>`(
  SELECT json_build_object('role', m.role, 'content', left(m.content, 300), 'author', m.author_name,
    'created_at', m.created_at)
  FROM messages m WHERE m.conversation_id = ${conversations.id}
  ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * The inbox: conversations that need a person, newest waiting first (the wait that began most recently, then
 * the most recently active), with the customer, the last message and why a person is needed. `view` narrows
 * it to the caller's own or to nobody's yet; counts are given for every view.
 */
export async function listInbox(db: Db, query: InboxQuery, me: StaffRef): Promise<Inbox> {
  const view = query.view === 'mine' ? heldBy(me) : query.view === 'unassigned' ? unassigned : undefined;
  const rows = await db
    .select({
      c: conversations,
      customer: customers.externalId,
      customerName: customers.name,
      lastMessage,
    })
    .from(conversations)
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(and(needsPerson, view))
    .orderBy(sql`${conversations.waitingSince} DESC NULLS LAST`, desc(conversations.updatedAt))
    .limit(query.limit);
  const [counts] = await db
    .select({
      all: sql<number>`count(*)::int`,
      mine: sql<number>`(count(*) FILTER (WHERE ${heldBy(me)}))::int`,
      unassigned: sql<number>`(count(*) FILTER (WHERE ${unassigned}))::int`,
    })
    .from(conversations)
    .where(needsPerson);
  return {
    conversations: rows.map((r) => inboxItem(r)),
    counts: {
      all: Number(counts?.all ?? 0),
      mine: Number(counts?.mine ?? 0),
      unassigned: Number(counts?.unassigned ?? 0),
    },
  };
}

function inboxItem(row: {
  c: typeof conversations.$inferSelect;
  customer: string | null;
  customerName: string | null;
  lastMessage: { role: string; content: string; author: string | null; created_at: string } | null;
}): InboxItem {
  const { c, lastMessage: last } = row;
  // postgres.js parses json; PGlite may hand it back as text.
  const message = typeof last === 'string' ? (JSON.parse(last) as typeof last) : last;
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    channel: c.channel,
    customerId: c.customerId,
    customer: row.customer,
    customerName: row.customerName,
    visitorId: c.visitorId,
    escalationReason: c.escalationReason,
    escalationSource: c.escalationSource,
    escalatedAt: iso(c.escalatedAt),
    waitingSince: iso(c.waitingSince),
    assignee: c.assigneeName ? { name: c.assigneeName, tokenId: c.assigneeTokenId } : null,
    assignedAt: iso(c.assignedAt),
    lastMessage: message
      ? {
          role: message.role,
          content: message.content,
          author: message.author,
          createdAt: iso(message.created_at)!,
        }
      : null,
    updatedAt: c.updatedAt.toISOString(),
  };
}
