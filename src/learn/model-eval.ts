import { inArray } from 'drizzle-orm';
import { type AgentDeps, runTurn } from '../agent/agent.ts';
import { conversations, type ModelScore } from '../db/schema/index.ts';
import { newVisitorId } from '../support/identity.ts';
import { isAbstention, scoreAnswer } from './answer-eval.ts';

/** A question with its reference answer and, optionally, the sources a good answer cites. */
export interface EvalPair {
  id?: string;
  question: string;
  answer: string;
  citations?: { source: string }[];
}

/** How one question went. */
export interface EvalPairResult {
  id: string | undefined;
  question: string;
  answer: string;
  tokenF1: number;
  /** Whether the answer cites one of the reference's sources; null when the reference cites none. */
  citesReference: boolean | null;
  abstained: boolean;
  error?: string;
}

export interface ModelEvaluation extends ModelScore {
  results: EvalPairResult[];
}

const citationWeight = 0.2;

/**
 * Asks every question through the agent with `agent.chat` as the model, each as a new anonymous conversation
 * (so no earlier question leaks into an answer), and scores the answers against the references: token F1 (the
 * same scorer as `parley eval answers`; a declined or failed answer scores 0) and citation match (the answer
 * cites a source the reference cites). The conversations it creates are deleted afterwards, so evaluations do
 * not show up in analytics. Shared by fine-tuning (test split against the tuned and the base model) and answer
 * test suites.
 * @example await evaluateModelOnPairs({ ...agent, chat: chatModelNamed(config, 'ft:gpt-4.1-mini:acme::x') }, pairs)
 */
export async function evaluateModelOnPairs(
  agent: AgentDeps,
  pairs: EvalPair[],
  options: { onResult?: (r: EvalPairResult) => void } = {},
): Promise<ModelEvaluation> {
  const results: EvalPairResult[] = [];
  const created: string[] = [];
  try {
    for (const pair of pairs) {
      const result = await askOne(agent, pair, created);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    for (let i = 0; i < created.length; i += 500) {
      await agent.db.delete(conversations).where(inArray(conversations.id, created.slice(i, i + 500)));
    }
  }
  const n = results.length;
  const tokenF1 = round(results.reduce((s, r) => s + r.tokenF1, 0) / Math.max(n, 1));
  const cited = results.filter((r) => r.citesReference !== null);
  const citationMatch = cited.length
    ? round(cited.filter((r) => r.citesReference).length / cited.length)
    : null;
  const score =
    citationMatch === null ? tokenF1 : round((1 - citationWeight) * tokenF1 + citationWeight * citationMatch);
  return {
    model: agent.chat.id,
    n,
    tokenF1,
    citationMatch,
    abstained: results.filter((r) => r.abstained).length,
    score,
    results,
  };
}

async function askOne(agent: AgentDeps, pair: EvalPair, created: string[]): Promise<EvalPairResult> {
  const references = new Set((pair.citations ?? []).map((c) => c.source));
  const conversationId = crypto.randomUUID();
  created.push(conversationId);
  try {
    const turn = await runTurn(agent, {
      identity: { kind: 'visitor', visitorId: newVisitorId() },
      message: pair.question,
      newConversationId: conversationId,
      channel: 'cli',
    });
    const cited = turn.citations.map((c) => c.source);
    const abstained = isAbstention({ answer: turn.answer, citedFiles: cited, outcome: turn.outcome });
    return {
      id: pair.id,
      question: pair.question,
      answer: turn.answer,
      tokenF1: abstained ? 0 : round(scoreAnswer(turn.answer, pair.answer).f1),
      citesReference: references.size ? cited.some((s) => references.has(s)) : null,
      abstained,
    };
  } catch (error) {
    return {
      id: pair.id,
      question: pair.question,
      answer: '',
      tokenF1: 0,
      citesReference: references.size ? false : null,
      abstained: true,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
