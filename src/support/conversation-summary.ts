import { eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { conversations } from '../db/schema/index.ts';

/**
 * Stores the summary of the messages that left the agent's history window, with how many it covers, so the
 * next turn knows whether it is still current. One statement: the two never disagree.
 */
export async function storeConversationSummary(
  db: Db,
  conversation: { id: string; metadata: Record<string, unknown> },
  summary: string,
  messagesCovered: number,
): Promise<void> {
  // The key predates the rename of history "turns" to messages; stored conversations still carry it.
  const metadata = { ...conversation.metadata, summarisedTurns: messagesCovered };
  await db.update(conversations).set({ summary, metadata }).where(eq(conversations.id, conversation.id));
}
