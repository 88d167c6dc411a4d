import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { MessageView } from '../contracts/chat.ts';
import type { ResolveResult } from '../contracts/conversations.ts';
import type { HoldState, StaffRef } from '../contracts/inbox.ts';
import { type Db } from '../db/client.ts';
import {
  type Conversation,
  conversationNotes,
  conversations,
  type Message,
  messages,
  staffTokens,
} from '../db/schema/index.ts';
import { uuidPattern } from './conversations.ts';
import { publishConversationEvent } from './events/index.ts';
import { resolveConversation } from './solutions.ts';
import { messageView } from './transcripts.ts';

import { conflict, type InboxResult, lockConversation, notFound, ok } from './inbox-result.ts';

export { addNote, listNotes } from './conversation-notes.ts';
export { listInbox } from './inbox-list.ts';
export { type InboxRefusal, type InboxResult } from './inbox-result.ts';

/** The person holding a conversation, or undefined while the agent has it. */
export function assigneeOf(conversation: Conversation): StaffRef | undefined {
  return conversation.assigneeName
    ? { name: conversation.assigneeName, tokenId: conversation.assigneeTokenId }
    : undefined;
}

/** Who holds a conversation: the bot stays silent while a person does (a resolved one is held by nobody). */
export async function heldBy(db: Db, conversationId: string): Promise<StaffRef | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  return row && row.status !== 'resolved' ? assigneeOf(row) : undefined;
}

function holdState(c: Conversation): HoldState {
  return {
    id: c.id,
    status: c.status,
    assignee: assigneeOf(c) ?? null,
    waitingSince: c.waitingSince?.toISOString() ?? null,
  };
}

// What a conversation nobody holds has: no assignee, and nobody waiting for a person.
const released = { assigneeName: null, assigneeTokenId: null, assignedAt: null, waitingSince: null };

/** A hand-off notice in the transcript ("Alex joined the conversation"), seen by the customer and staff. */
async function addNotice(tx: Db, conversationId: string, who: StaffRef, what: 'joined' | 'left') {
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId,
      role: 'system',
      content: `${who.name} ${what} the conversation`,
      parts: [{ type: 'handoff', event: what }],
      authorName: who.name,
      authorTokenId: who.tokenId,
    })
    .returning();
  await publishConversationEvent(tx, { kind: 'message', conversationId, messageId: row!.id });
  return row!;
}

/** Puts `assignee` in charge of a locked conversation (a notice, and `escalated` if the agent still had it). */
async function takeOver(tx: Db, conversation: Conversation, assignee: StaffRef): Promise<Conversation> {
  const now = new Date();
  const [updated] = await tx
    .update(conversations)
    .set({
      assigneeName: assignee.name,
      assigneeTokenId: assignee.tokenId,
      assignedAt: now,
      updatedAt: now,
      ...(conversation.status === 'open'
        ? {
            status: 'escalated' as const,
            escalationSource: 'staff' as const,
            escalationReason: `Taken over by ${assignee.name}`,
            escalatedAt: sql`now()`,
          }
        : {}),
    })
    .where(eq(conversations.id, conversation.id))
    .returning();
  await addNotice(tx, conversation.id, assignee, 'joined');
  await publishConversationEvent(tx, { kind: 'conversation', conversationId: conversation.id });
  return updated!;
}

const sameStaff = (a: StaffRef | undefined, b: StaffRef) =>
  Boolean(a) && a!.tokenId === b.tokenId && (b.tokenId !== null || a!.name === b.name);

/**
 * A staff member by token id or name (live tokens only; `admin` is the configured admin token), for assigning
 * a conversation to someone else.
 */
export async function findStaff(db: Db, nameOrId: string): Promise<StaffRef | undefined> {
  const byId = uuidPattern.test(nameOrId) ? eq(staffTokens.id, nameOrId) : undefined;
  const [row] = await db
    .select({ id: staffTokens.id, name: staffTokens.name })
    .from(staffTokens)
    .where(
      and(
        isNull(staffTokens.revokedAt),
        byId ? or(byId, eq(staffTokens.name, nameOrId)) : eq(staffTokens.name, nameOrId),
      ),
    )
    .orderBy(asc(staffTokens.createdAt))
    .limit(1);
  if (row) return { name: row.name, tokenId: row.id };
  return nameOrId === 'admin' ? { name: 'admin', tokenId: null } : undefined;
}

/** Assigns a conversation to a staff member, who holds it from now on (the bot stops answering). */
export async function assignConversation(
  db: Db,
  conversationId: string,
  assignee: StaffRef,
): Promise<InboxResult<HoldState>> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) return notFound();
    if (conversation.status === 'resolved') return conflict('The conversation is resolved.');
    if (sameStaff(assigneeOf(conversation), assignee)) return ok(holdState(conversation));
    return ok(holdState(await takeOver(tx, conversation, assignee)));
  });
}

/** Hands a conversation back to the agent: nobody holds it, it is open again, and the customer is told. */
export async function releaseConversation(db: Db, conversationId: string): Promise<InboxResult<HoldState>> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) return notFound();
    const holder = assigneeOf(conversation);
    if (!holder || conversation.status === 'resolved') return conflict('Nobody holds this conversation.');
    const [updated] = await tx
      .update(conversations)
      .set({ ...released, status: 'open', updatedAt: new Date() })
      .where(eq(conversations.id, conversationId))
      .returning();
    await addNotice(tx, conversationId, holder, 'left');
    await publishConversationEvent(tx, { kind: 'conversation', conversationId });
    return ok(holdState(updated!));
  });
}

/**
 * A staff reply, stored as role `staff` with its author and shown to the customer at once. Replying to a
 * conversation nobody holds takes it over. A resolved conversation takes no replies (409).
 */
export async function postStaffReply(
  db: Db,
  conversationId: string,
  author: StaffRef,
  text: string,
): Promise<InboxResult<MessageView>> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) return notFound();
    if (conversation.status === 'resolved') {
      return conflict('The conversation is resolved: the customer can no longer be answered in it.');
    }
    if (!assigneeOf(conversation)) await takeOver(tx, conversation, author);
    const [message] = await tx
      .insert(messages)
      .values({
        conversationId,
        role: 'staff',
        content: text.trim(),
        authorName: author.name,
        authorTokenId: author.tokenId,
      })
      .returning();
    await tx
      .update(conversations)
      .set({ waitingSince: null, updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
    await publishConversationEvent(tx, { kind: 'message', conversationId, messageId: message!.id });
    return ok(messageView(message!));
  });
}

/**
 * A customer message while a person holds the conversation: stored (the bot does not answer), and the
 * customer waits for a person again from now if they were not waiting already.
 */
export async function storeHeldCustomerMessage(
  db: Db,
  conversationId: string,
  text: string,
): Promise<Message> {
  return db.transaction(async (tx) => {
    const [message] = await tx
      .insert(messages)
      .values({ conversationId, role: 'user', content: text })
      .returning();
    await tx
      .update(conversations)
      .set({
        updatedAt: new Date(),
        waitingSince: sql`coalesce(${conversations.waitingSince}, now())`,
        title: sql`coalesce(${conversations.title}, ${text.replace(/\s+/g, ' ').slice(0, 80)})`,
      })
      .where(eq(conversations.id, conversationId));
    await publishConversationEvent(tx, { kind: 'message', conversationId, messageId: message!.id });
    return message!;
  });
}

/**
 * Resolves a conversation for staff, in one transaction: whoever held it leaves (the customer is told), the
 * note (if any) is kept as an internal note and becomes the suggested solution's resolution. `changed` says
 * whether it was open until now (notify once).
 */
export async function resolveWithNote(
  db: Db,
  conversationId: string,
  author: StaffRef,
  note: string | undefined,
): Promise<InboxResult<ResolveResult & { changed: boolean }>> {
  return db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, conversationId);
    if (!conversation) return notFound();
    const holder = conversation.status === 'resolved' ? undefined : assigneeOf(conversation);
    await tx
      .update(conversations)
      .set({ ...released, updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
    if (holder) await addNotice(tx, conversationId, holder, 'left');
    if (note?.trim()) {
      await tx.insert(conversationNotes).values({
        conversationId,
        authorName: author.name,
        authorTokenId: author.tokenId,
        text: note.trim(),
      });
    }
    const solution = await resolveConversation(tx, conversationId, { note });
    await publishConversationEvent(tx, { kind: 'conversation', conversationId });
    const changed = conversation.status !== 'resolved';
    return ok({ status: 'resolved' as const, solutionId: solution?.id ?? null, changed });
  });
}
