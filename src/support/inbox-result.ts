import { eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { type Conversation, conversations } from '../db/schema/index.ts';
import { uuidPattern } from './conversations.ts';

/** A request the inbox refuses: no such conversation, or one in a state that does not allow it. */
export interface InboxRefusal {
  refused: 'not_found' | 'conflict';
  message: string;
}

export type InboxResult<T> = { ok: true; value: T } | ({ ok: false } & InboxRefusal);

export const ok = <T>(value: T): InboxResult<T> => ({ ok: true, value });
export const notFound = (): InboxResult<never> => ({
  ok: false,
  refused: 'not_found',
  message: 'Conversation not found.',
});
export const conflict = (message: string): InboxResult<never> => ({
  ok: false,
  refused: 'conflict',
  message,
});

/** The conversation with this id, locked for the rest of the transaction (assign, reply, release, resolve). */
export async function lockConversation(tx: Db, id: string): Promise<Conversation | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update');
  return row;
}
