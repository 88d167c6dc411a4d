import { eq, sql } from 'drizzle-orm';
import type { ContactState } from '../contracts/conversation-contact.ts';
import type { Db } from '../db/client.ts';
import { type Conversation, conversations, customers } from '../db/schema/index.ts';
import { isOpen } from './business-hours.ts';
import { companyProfile } from './company-profile.ts';
import { getOwnConversation } from './conversations.ts';
import { publishConversationEvent } from './events/index.ts';
import type { Identity } from './identity.ts';

/** The email a customer left in the chat for this conversation, if any. */
export function contactEmailOf(conversation: Pick<Conversation, 'metadata'>): string | null {
  const email = conversation.metadata?.contactEmail;
  return typeof email === 'string' && email ? email : null;
}

async function accountEmail(db: Db, identity: Identity): Promise<string | null> {
  if (identity.kind !== 'customer') return null;
  const [row] = await db
    .select({ email: customers.email })
    .from(customers)
    .where(eq(customers.id, identity.customerId));
  return row?.email ?? null;
}

/**
 * Whether the chat should offer the "leave your email" form: the conversation waits for a person, nobody can
 * reach the customer by email yet, and the hand-off happened outside business hours (or no hours are set, so
 * nobody can promise a person will join soon).
 */
async function stateOf(db: Db, identity: Identity, conversation: Conversation): Promise<ContactState> {
  const email = contactEmailOf(conversation) ?? (await accountEmail(db, identity));
  if (conversation.status !== 'escalated' || email) return { askForEmail: false, email };
  const hours = (await companyProfile(db)).businessHours;
  const handedOffAt = conversation.escalatedAt ?? conversation.updatedAt;
  return { askForEmail: !hours || !isOpen(hours, handedOffAt), email: null };
}

/** The contact state of one of the caller's conversations; undefined when it is not theirs. */
export async function contactState(
  db: Db,
  identity: Identity,
  conversationId: string,
): Promise<ContactState | undefined> {
  const conversation = await getOwnConversation(db, identity, conversationId);
  return conversation && stateOf(db, identity, conversation);
}

/**
 * Records the email a customer leaves so staff can reply there, on the conversation (the customer's account
 * email, if any, is left as it is); staff watching the conversation see it at once. Undefined when the
 * conversation is not the caller's.
 */
export async function saveContactEmail(
  db: Db,
  identity: Identity,
  conversationId: string,
  email: string,
): Promise<ContactState | undefined> {
  const conversation = await getOwnConversation(db, identity, conversationId);
  if (!conversation) return undefined;
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(conversations)
      .set({
        metadata: sql`${conversations.metadata} || jsonb_build_object('contactEmail', ${email}::text, 'contactEmailAt', now())`,
        updatedAt: new Date(),
      })
      .where(eq(conversations.id, conversation.id))
      .returning();
    await publishConversationEvent(tx, { kind: 'conversation', conversationId: conversation.id });
    return row!;
  });
  return stateOf(db, identity, updated);
}
