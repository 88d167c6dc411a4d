import { type AgentDeps, runTurn } from '../agent/agent.ts';
import { newVisitorId } from '../support/identity.ts';
import { type AnswerRecord } from './answer-eval.ts';

/**
 * Asks the agent a question the way `parley ask` does, as a new anonymous visitor in a new conversation, so
 * that no earlier question leaks into the answer.
 */
export function agentAnswerer(deps: AgentDeps): (query: string) => Promise<AnswerRecord> {
  return async (query) => {
    const result = await runTurn(deps, {
      identity: { kind: 'visitor', visitorId: newVisitorId() },
      message: query,
      channel: 'cli',
    });
    return {
      answer: result.answer,
      citedFiles: result.citations.map((c) => c.source),
      outcome: result.outcome,
    };
  };
}
