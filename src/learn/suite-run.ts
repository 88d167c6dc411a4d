import { eq } from 'drizzle-orm';
import { type AgentDeps, runTurn } from '../agent/agent.ts';
import type { EvalCase, EvalTrigger } from '../contracts/eval.ts';
import { conversations, type EvalResultCitation } from '../db/schema/index.ts';
import { appendMessage, startConversation } from '../support/conversations.ts';
import { findCustomer } from '../support/customers.ts';
import { type Identity, newVisitorId } from '../support/identity.ts';
import { type CaseAnswer, type CaseVerdict, checkCase } from './suite-check.ts';
import type { Suite } from './suite-file.ts';
import { knowledgeVersions, type StoredRun, storeRun } from './suite-store.ts';

/** One case as it went: what the agent answered and the verdict of the checks. */
export interface CaseRun {
  case: EvalCase;
  answer: CaseAnswer & { citations: EvalResultCitation[] };
  verdict: CaseVerdict;
}

/**
 * Asks every case of a suite as a new conversation: as its customer (id or email) or as a new anonymous
 * visitor, with its `history` stored as earlier messages of that conversation (not asked of the model), then
 * checks the answer. Each conversation is deleted once its case is checked, so runs leave nothing in
 * analytics or the inbox and a customer's earlier cases never appear as their "earlier conversations". A case
 * that cannot run (unknown customer, a model error) fails with the reason.
 */
export async function runSuiteCases(
  agent: AgentDeps,
  cases: EvalCase[],
  options: { onCase?: (run: CaseRun, index: number) => void } = {},
): Promise<CaseRun[]> {
  const runs: CaseRun[] = [];
  for (const [i, c] of cases.entries()) {
    const run = await runCase(agent, c);
    runs.push(run);
    options.onCase?.(run, i);
  }
  return runs;
}

const failedAnswer = (reason: string): Omit<CaseRun, 'case'> => ({
  answer: { answer: '', citations: [], tools: [], outcome: 'error', escalated: false },
  verdict: { passed: false, reasons: [reason], tokenF1: null },
});

async function runCase(agent: AgentDeps, c: EvalCase): Promise<CaseRun> {
  const identity = await caseIdentity(agent, c);
  if (!identity) return { case: c, ...failedAnswer(`no customer "${c.customer}"`) };
  const conversation = await startConversation(agent.db, identity, 'cli');
  try {
    // Earlier turns are replayed as stored messages: the agent reads them as history, the model is not asked.
    for (const turn of c.history ?? [])
      await appendMessage(agent.db, {
        conversationId: conversation.id,
        role: turn.role,
        content: turn.content,
      });
    const result = await runTurn(agent, {
      identity,
      message: c.question,
      conversationId: conversation.id,
      channel: 'cli',
    });
    const answer: CaseRun['answer'] = {
      answer: result.answer,
      citations: result.citations.map((x) => ({
        source: x.source,
        documentId: x.documentId,
        versionId: x.versionId,
        heading: x.heading,
        ...(x.title ? { title: x.title } : {}),
      })),
      tools: [...new Set(result.toolCalls.map((t) => t.name))],
      outcome: result.outcome,
      escalated: result.escalated,
    };
    return { case: c, answer, verdict: checkCase(c.expect, answer) };
  } catch (error) {
    return { case: c, ...failedAnswer(`error: ${error instanceof Error ? error.message : String(error)}`) };
  } finally {
    await agent.db.delete(conversations).where(eq(conversations.id, conversation.id));
  }
}

async function caseIdentity(agent: AgentDeps, c: EvalCase): Promise<Identity | undefined> {
  if (!c.customer) return { kind: 'visitor', visitorId: newVisitorId() };
  const customer = await findCustomer(agent.db, c.customer);
  if (!customer) return undefined;
  return { kind: 'customer', customerId: customer.id, externalId: customer.externalId, name: customer.name };
}

/**
 * Runs a suite and stores the run: the knowledge base's current versions first, then every case, then the
 * figures and per-case results, with answers that differ from the suite's previous run marked as changed.
 */
export async function runSuite(
  agent: AgentDeps,
  suite: Suite,
  options: {
    trigger: EvalTrigger;
    suiteId?: string | undefined;
    changedDocuments?: string[];
    onCase?: (run: CaseRun, index: number) => void;
  },
): Promise<StoredRun> {
  const versions = await knowledgeVersions(agent.db);
  const runs = await runSuiteCases(agent, suite.cases, { onCase: options.onCase });
  return storeRun(agent.db, {
    suite,
    suiteId: options.suiteId,
    model: agent.chat.id,
    trigger: options.trigger,
    changedDocuments: options.changedDocuments ?? [],
    knowledgeVersions: versions,
    runs,
  });
}
