import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { openDatabase } from '../db/client.ts';
import { conversations, solutions } from '../db/schema/index.ts';
import { appendMessage, startConversation } from './conversations.ts';
import { escalateConversation } from './escalation.ts';
import { type ConversationEvent, openEventBus, publishConversationEvent } from './events/index.ts';
import { recordFeedback } from './feedback.ts';
import { newVisitorId } from './identity.ts';
import {
  addNote,
  assignConversation,
  findStaff,
  heldBy,
  listInbox,
  listNotes,
  postStaffReply,
  releaseConversation,
  resolveWithNote,
  storeHeldCustomerMessage,
} from './inbox.ts';
import { createStaffToken } from './staff-tokens.ts';
import { getOwnTranscript } from './transcripts.ts';

const alex = { name: 'Alex', tokenId: null as string | null };
const sam = { name: 'Sam', tokenId: null as string | null };

/** Collects a bus's events until `count` have arrived (or the wait times out). */
function collector() {
  const seen: ConversationEvent[] = [];
  const waiters: (() => void)[] = [];
  return {
    seen,
    push(event: ConversationEvent) {
      seen.push(event);
      for (const w of waiters.splice(0)) w();
    },
    async until(predicate: (events: ConversationEvent[]) => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!predicate(seen)) {
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describe.each(backends)('inbox on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    alex.tokenId = (await createStaffToken(database.db, 'Alex')).id;
    sam.tokenId = (await createStaffToken(database.db, 'Sam')).id;
  });
  afterAll(() => database?.destroy());

  async function conversation(question = 'My hub keeps dropping off Wi-Fi') {
    const visitor = { kind: 'visitor' as const, visitorId: newVisitorId() };
    const c = await startConversation(database.db, visitor, 'web');
    await appendMessage(database.db, { conversationId: c.id, role: 'user', content: question });
    await appendMessage(database.db, {
      conversationId: c.id,
      role: 'assistant',
      content: 'Try restarting it.',
    });
    return { id: c.id, visitor };
  }

  it('lists escalated conversations newest waiting first, with the reason, customer and last message', async () => {
    const older = await conversation('First question');
    const newer = await conversation('Second question');
    expect(
      await escalateConversation(database.db, older.id, { source: 'rule', reason: 'Safety issue' }),
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    await escalateConversation(database.db, newer.id, { source: 'requested', reason: 'Asked for a person' });
    // Escalating again keeps the first reason and says it changed nothing.
    expect(await escalateConversation(database.db, older.id, { source: 'agent', reason: 'Other' })).toBe(
      false,
    );
    const notEscalated = await conversation('Third question');

    const inbox = await listInbox(database.db, { view: 'all', limit: 100 }, alex);
    const ids = inbox.conversations.map((c) => c.id);
    expect(ids.slice(0, 2)).toEqual([newer.id, older.id]);
    expect(ids).not.toContain(notEscalated.id);
    const first = inbox.conversations.find((c) => c.id === older.id)!;
    expect(first).toMatchObject({
      escalationSource: 'rule',
      escalationReason: 'Safety issue',
      assignee: null,
      lastMessage: { role: 'assistant', content: 'Try restarting it.' },
    });
    expect(first.waitingSince).not.toBeNull();
    expect(inbox.counts).toMatchObject({ all: 2, unassigned: 2, mine: 0 });
  });

  it('takes over, replies, hears the customer while held, releases and resolves with a note', async () => {
    const c = await conversation('The app will not pair with my hub');
    await escalateConversation(database.db, c.id, { source: 'abstained', reason: 'Could not answer twice' });

    const assigned = await assignConversation(database.db, c.id, alex);
    expect(assigned).toMatchObject({ ok: true, value: { status: 'escalated', assignee: alex } });
    expect(await heldBy(database.db, c.id)).toEqual(alex);
    const mine = await listInbox(database.db, { view: 'mine', limit: 100 }, alex);
    expect(mine.conversations.map((x) => x.id)).toEqual([c.id]);
    expect((await listInbox(database.db, { view: 'mine', limit: 100 }, sam)).conversations).toEqual([]);

    const reply = await postStaffReply(database.db, c.id, alex, '  Hi, Alex here. Which phone do you use? ');
    expect(reply).toMatchObject({
      ok: true,
      value: { role: 'staff', author: 'Alex', content: 'Hi, Alex here. Which phone do you use?' },
    });
    let [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row!.waitingSince).toBeNull();

    await storeHeldCustomerMessage(database.db, c.id, 'An iPhone 15');
    [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row!.waitingSince).not.toBeNull();

    const note = await addNote(database.db, c.id, alex, 'Known issue with iOS 18.1');
    expect(note).toMatchObject({ ok: true, value: { author: 'Alex', text: 'Known issue with iOS 18.1' } });
    const notes = await listNotes(database.db, c.id);
    expect(notes.ok && notes.value.map((n) => n.text)).toEqual(['Known issue with iOS 18.1']);

    // The customer sees the notices and the staff reply, never the note.
    const transcript = (await getOwnTranscript(database.db, c.visitor, c.id))!;
    expect(transcript.messages.map((m) => [m.role, m.author, m.content])).toEqual([
      ['user', null, 'The app will not pair with my hub'],
      ['assistant', null, 'Try restarting it.'],
      ['system', 'Alex', 'Alex joined the conversation'],
      ['staff', 'Alex', 'Hi, Alex here. Which phone do you use?'],
      ['user', null, 'An iPhone 15'],
    ]);
    expect(JSON.stringify(transcript)).not.toContain('iOS 18.1');

    const released = await releaseConversation(database.db, c.id);
    expect(released).toMatchObject({
      ok: true,
      value: { status: 'open', assignee: null, waitingSince: null },
    });
    expect(await heldBy(database.db, c.id)).toBeUndefined();
    expect(await releaseConversation(database.db, c.id)).toMatchObject({ ok: false, refused: 'conflict' });

    await assignConversation(database.db, c.id, sam);
    const resolved = await resolveWithNote(database.db, c.id, sam, 'Update the app to 4.2, then re-pair.');
    expect(resolved).toMatchObject({ ok: true, value: { status: 'resolved', changed: true } });
    const solutionId = resolved.ok ? resolved.value.solutionId : null;
    const [solution] = await database.db.select().from(solutions).where(eq(solutions.id, solutionId!));
    expect(solution).toMatchObject({
      problem: 'The app will not pair with my hub',
      resolution: 'Update the app to 4.2, then re-pair.',
    });
    const after = (await getOwnTranscript(database.db, c.visitor, c.id))!;
    expect(after.messages.at(-1)).toMatchObject({ role: 'system', content: 'Sam left the conversation' });
    expect(await heldBy(database.db, c.id)).toBeUndefined();

    // A resolved conversation takes no replies and no assignment; an unknown one is not found.
    expect(await postStaffReply(database.db, c.id, alex, 'One more thing')).toMatchObject({
      ok: false,
      refused: 'conflict',
    });
    expect(await assignConversation(database.db, c.id, alex)).toMatchObject({
      ok: false,
      refused: 'conflict',
    });
    const unknown = crypto.randomUUID();
    expect(await postStaffReply(database.db, unknown, alex, 'Hello')).toMatchObject({ refused: 'not_found' });
    expect(await listNotes(database.db, unknown)).toMatchObject({ refused: 'not_found' });
    expect(await addNote(database.db, 'nope', alex, 'x')).toMatchObject({ refused: 'not_found' });
  });

  it('a staff reply to a conversation nobody holds takes it over', async () => {
    const c = await conversation();
    const reply = await postStaffReply(database.db, c.id, sam, 'Sam from support here.');
    expect(reply.ok).toBe(true);
    expect(await heldBy(database.db, c.id)).toEqual(sam);
    const [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row).toMatchObject({ status: 'escalated', escalationSource: 'staff' });
  });

  it('finds staff by name or token id; a revoked or unknown name is nobody', async () => {
    expect(await findStaff(database.db, 'Alex')).toEqual(alex);
    expect(await findStaff(database.db, alex.tokenId!)).toEqual(alex);
    expect(await findStaff(database.db, 'admin')).toEqual({ name: 'admin', tokenId: null });
    expect(await findStaff(database.db, 'Nobody')).toBeUndefined();
  });

  it('a thumbs-down sends the conversation to the inbox', async () => {
    const c = await conversation('Where is the reset button?');
    const transcript = (await getOwnTranscript(database.db, c.visitor, c.id))!;
    const answer = transcript.messages.find((m) => m.role === 'assistant')!;
    const notified: unknown[] = [];
    const notify = async (n: unknown) => {
      notified.push(n);
    };
    await recordFeedback(database.db, c.visitor, { messageId: answer.id, rating: 'up' }, notify);
    let [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row!.status).toBe('open');
    await recordFeedback(
      database.db,
      c.visitor,
      { messageId: answer.id, rating: 'down', reason: 'Wrong' },
      notify,
    );
    [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row).toMatchObject({
      status: 'escalated',
      escalationSource: 'thumbs_down',
      escalationReason: 'Customer rated an answer unhelpful: Wrong',
    });
    expect(notified).toEqual([
      {
        type: 'conversation.escalated',
        conversationId: c.id,
        reason: 'Customer rated an answer unhelpful: Wrong',
      },
    ]);
  });

  it('delivers events once the writing transaction commits, never after a rollback', async () => {
    const bus = openEventBus(database);
    const got = collector();
    const sub = bus.subscribe({ watcher: 'staff', onEvent: got.push, onClose: () => {} });
    await sub.ready;
    const c = await conversation();
    await expect(
      database.db.transaction(async (tx) => {
        await publishConversationEvent(tx, { kind: 'note', conversationId: c.id });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await assignConversation(database.db, c.id, alex);
    await got.until((seen) => seen.some((e) => e.kind === 'conversation' && e.conversationId === c.id));
    expect(got.seen.filter((e) => e.conversationId === c.id).map((e) => e.kind)).toEqual([
      'message',
      'conversation',
    ]);
    let closed = false;
    bus.subscribe({
      watcher: 'customer',
      conversationId: c.id,
      onEvent: () => {},
      onClose: () => (closed = true),
    });
    expect(bus.isWatchedHere(c.id)).toBe(true);
    await bus.close();
    expect(closed).toBe(true);
    expect(bus.isWatchedHere(c.id)).toBe(false);
  });

  // Only the server has other connections: PGlite is one process's database.
  it.runIf(backend === 'postgres')('reaches a listener on another connection (another replica)', async () => {
    const other = await openDatabase({ databaseUrl: database.url!, dataDir: '', poolSize: 1 });
    const bus = openEventBus(other);
    try {
      const c = await conversation();
      const got = collector();
      const sub = bus.subscribe({
        watcher: 'customer',
        conversationId: c.id,
        onEvent: got.push,
        onClose: () => {},
      });
      await sub.ready;
      const reply = await postStaffReply(database.db, c.id, alex, 'Hello from the first replica');
      await got.until((seen) =>
        seen.some((e) => e.kind === 'message' && reply.ok && e.messageId === reply.value.id),
      );
      // Another conversation's events do not reach this subscriber.
      await postStaffReply(database.db, (await conversation()).id, alex, 'Elsewhere');
      await new Promise((r) => setTimeout(r, 200));
      expect(new Set(got.seen.map((e) => e.conversationId))).toEqual(new Set([c.id]));
    } finally {
      await bus.close();
      await other.close();
    }
  });
});
