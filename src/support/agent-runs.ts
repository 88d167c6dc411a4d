import { wellFormedJson, wellFormedText } from '../contracts/well-formed.ts';
import { type Db } from '../db/client.ts';
import { agentRuns, type Message } from '../db/schema/index.ts';
import { appendMessage, type NewMessage } from './conversations.ts';

/** The figures of one agent turn, as stored in `agent_runs` (the message and conversation are filled in). */
export type AgentRunFigures = Omit<
  typeof agentRuns.$inferInsert,
  'id' | 'createdAt' | 'conversationId' | 'messageId'
>;

// What the model writes is stored as text and JSON: a NUL or a lone surrogate in it (an answer cut inside a
// surrogate pair, a tool input the model made up) would fail the insert and lose the whole turn.
function storableAnswer(answer: Omit<NewMessage, 'role'>): Omit<NewMessage, 'role'> {
  return {
    ...answer,
    content: wellFormedText(answer.content),
    ...(answer.parts && { parts: wellFormedJson(answer.parts) as unknown[] }),
    ...(answer.citations && { citations: wellFormedJson(answer.citations) as NewMessage['citations'] }),
    ...(answer.model && { model: wellFormedText(answer.model) }),
  };
}

function storableFigures<T extends AgentRunFigures>(figures: T): T {
  return {
    ...figures,
    model: wellFormedText(figures.model),
    ...(figures.tools && { tools: wellFormedJson(figures.tools) as unknown[] }),
    ...(figures.retrieval && { retrieval: wellFormedJson(figures.retrieval) as Record<string, unknown> }),
  };
}

/**
 * Stores the agent's answer and the figures of the turn that produced it in one statement, so an answer is
 * never stored without its run (or the other way round), and publishes the answer's `message` event when it
 * commits. Text the database cannot hold (NUL, lone surrogates) is cleaned first: give the customer `content`
 * as stored (see `storeAnswer`).
 */
export async function recordAgentAnswer(
  db: Db,
  answer: Omit<NewMessage, 'role'>,
  figures: AgentRunFigures,
): Promise<Message> {
  const run = (messageId: string) =>
    db
      .$with('recorded_run')
      .as(
        db
          .insert(agentRuns)
          .values({ ...storableFigures(figures), conversationId: answer.conversationId, messageId }),
      );
  return appendMessage(
    db,
    { ...storableAnswer(answer), role: 'assistant' },
    { publish: true, alongside: (messageId) => [run(messageId)] },
  );
}

/** Records a turn that ended without an answer (the model failed or produced nothing). */
export async function recordFailedRun(
  db: Db,
  conversationId: string,
  figures: AgentRunFigures & { outcome: 'error' },
): Promise<void> {
  await db.insert(agentRuns).values({ ...storableFigures(figures), conversationId });
}
