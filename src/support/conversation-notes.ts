import { asc, eq } from 'drizzle-orm';
import type { NoteView, StaffRef } from '../contracts/inbox.ts';
import { type Db } from '../db/client.ts';
import { type ConversationNote, conversationNotes, conversations } from '../db/schema/index.ts';
import { uuidPattern } from './conversations.ts';
import { publishConversationEvent } from './events/index.ts';
import { type InboxResult, lockConversation, notFound, ok } from './inbox-result.ts';

// Internal notes: what staff tell each other about a conversation. Never in the customer's transcript, their
// live stream, or the model's history.

function noteView(note: ConversationNote): NoteView {
  return {
    id: note.id,
    conversationId: note.conversationId,
    author: note.authorName,
    text: note.text,
    createdAt: note.createdAt.toISOString(),
  };
}

/** Adds an internal note: staff only, never in the customer's transcript or the model's history. */
export async function addNote(
  db: Db,
  conversationId: string,
  author: StaffRef,
  text: string,
): Promise<InboxResult<NoteView>> {
  return db.transaction(async (tx) => {
    if (!(await lockConversation(tx, conversationId))) return notFound();
    const [note] = await tx
      .insert(conversationNotes)
      .values({ conversationId, authorName: author.name, authorTokenId: author.tokenId, text: text.trim() })
      .returning();
    await publishConversationEvent(tx, { kind: 'note', conversationId, noteId: note!.id });
    return ok(noteView(note!));
  });
}

/** A conversation's internal notes, oldest first. */
export async function listNotes(db: Db, conversationId: string): Promise<InboxResult<NoteView[]>> {
  if (!uuidPattern.test(conversationId)) return notFound();
  const [conversation] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!conversation) return notFound();
  const rows = await db
    .select()
    .from(conversationNotes)
    .where(eq(conversationNotes.conversationId, conversationId))
    .orderBy(asc(conversationNotes.createdAt), asc(conversationNotes.id));
  return ok(rows.map(noteView));
}
