import { type Db } from '../db/client.ts';
import { agentRuns, type Message } from '../db/schema/index.ts';
import { appendMessage, type NewMessage } from './conversations.ts';

/** The figures of one agent turn, as stored in `agent_runs` (the message and conversation are filled in). */
export type AgentRunFigures = Omit<
  typeof agentRuns.$inferInsert,
  'id' | 'createdAt' | 'conversationId' | 'messageId'
>;

/**
 * Stores the agent's answer and the figures of the turn that produced it in one transaction, so an answer is
 * never stored without its run (or the other way round).
 */
export async function recordAgentAnswer(
  db: Db,
  answer: Omit<NewMessage, 'role'>,
  figures: AgentRunFigures,
): Promise<Message> {
  return db.transaction(async (tx) => {
    const message = await appendMessage(tx, { ...answer, role: 'assistant' });
    await tx
      .insert(agentRuns)
      .values({ ...figures, conversationId: answer.conversationId, messageId: message.id });
    return message;
  });
}

/** Records a turn that ended without an answer (the model failed or produced nothing). */
export async function recordFailedRun(
  db: Db,
  conversationId: string,
  figures: AgentRunFigures & { outcome: 'error' },
): Promise<void> {
  await db.insert(agentRuns).values({ ...figures, conversationId });
}
