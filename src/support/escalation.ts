import { and, count, eq, ne, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { agentRuns, conversations, type EscalationSource } from '../db/schema/index.ts';
import { publishConversationEvent } from './events/index.ts';

/** Why a conversation goes to a person, and what sent it (shown side by side in the inbox). */
export interface Escalation {
  source: EscalationSource;
  reason: string;
}

/** The longest escalation reason kept, in characters. */
const maxReasonLength = 500;

/**
 * Sends a conversation to the inbox: status `escalated`, with its reason and source, waiting from now. A
 * conversation already escalated keeps its first reason. Returns whether this call escalated it, so callers
 * notify staff once. The event is published when the change commits.
 */
export async function escalateConversation(
  db: Db,
  conversationId: string,
  escalation: Escalation,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(conversations)
      .set({
        status: 'escalated',
        escalationReason: escalation.reason.slice(0, maxReasonLength),
        escalationSource: escalation.source,
        // The database's clock, as for messages: "told since the escalation" compares the two.
        escalatedAt: sql`now()`,
        waitingSince: sql`coalesce(${conversations.waitingSince}, now())`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'escalated')))
      .returning({ id: conversations.id });
    if (changed.length === 0) return false;
    await publishConversationEvent(tx, { kind: 'conversation', conversationId });
    return true;
  });
}

/** How many of a conversation's turns the agent abstained on (found nothing to answer from). */
export async function countAbstainedTurns(db: Db, conversationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(agentRuns)
    .where(and(eq(agentRuns.conversationId, conversationId), eq(agentRuns.outcome, 'abstained')));
  return Number(row?.n ?? 0);
}
