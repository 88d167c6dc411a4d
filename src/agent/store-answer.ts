import { wellFormedText } from '../contracts/well-formed.ts';
import { type Citation } from '../db/schema/index.ts';
import { metrics } from '../ops/metrics.ts';
import { redactKnownShapes } from '../ops/redact.ts';
import { type Span } from '../ops/telemetry.ts';
import { recordAgentAnswer, recordFailedRun } from '../support/agent-runs.ts';
import { type Channel } from '../support/conversations.ts';
import { countAbstainedTurns, escalateConversation } from '../support/escalation.ts';
import { sendHandoffNotification } from '../support/handoff-notifications.ts';
import { type HandoffDecision, withHandoffPrefix } from './handoff-rules.ts';
import { type StreamedAnswer } from './model-call.ts';
import { estimateCost } from './models/pricing.ts';
import { type Passage, type TurnLedger } from './tools/index.ts';
import { type AgentDeps, type TurnInput, type TurnOutcome, type TurnResult } from './turn.ts';

/** Text the answer must begin and end with, whatever the model writes (see `framedAnswer`). */
export interface AnswerFraming {
  prefix: string;
  suffix: string;
  /** The hand-off rule that fired, whose instruction is the prefix. */
  decision?: HandoffDecision | undefined;
}

/** After this many turns the agent could not answer, a conversation goes to a person. */
const abstentionsBeforeHandoff = 2;

/**
 * Waits for the answer to finish streaming, then stores it with its run's figures (or, when the model failed,
 * a run with outcome `error`, and rethrows), and counts the turn in metrics and on its span. The stored answer
 * is what the customer saw: framed like the stream. A second abstention in a conversation hands it to a person.
 */
export async function storeAnswer(
  deps: AgentDeps,
  input: TurnInput,
  span: Span,
  turn: {
    conversationId: string;
    started: number;
    ledger: TurnLedger;
    answer: StreamedAnswer;
    framing?: AnswerFraming;
  },
): Promise<TurnResult> {
  const { conversationId, started, ledger, answer } = turn;
  const { steps, failure } = await finishedSteps(answer);
  const latencyMs = Math.round(performance.now() - started);
  if (failure || steps.length === 0)
    return failTurn(deps, input, span, { conversationId, latencyMs, failure });
  const collected = collectAnswer(steps, ledger);
  const { toolCalls, usage, citations, outcome } = collected;
  // Cleaned here too, so the answer returned is the one stored (a lone surrogate becomes U+FFFD, as the stream
  // showed it: encoding to UTF-8 replaces it the same way).
  const text = wellFormedText(framedText(collected.text, turn.framing));
  const model = deps.chat.id;
  const firstTokenAt = answer.firstTokenAt();
  const message = await recordAgentAnswer(
    deps.db,
    { conversationId, content: text, parts: collected.parts, citations, model, ...usage, latencyMs },
    {
      model,
      latencyMs,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - started),
      ...usage,
      costUsd: estimateCost(model, usage.inputTokens, usage.outputTokens),
      tools: toolCalls.map((c) => c.name),
      retrieval: retrievalFigures(ledger),
      outcome,
    },
  );
  span.setAttributes(spanFigures(outcome, usage, toolCalls.length, citations.length));
  recordTurnMetrics(model, input.channel, outcome, latencyMs, usage, toolCalls);
  const escalated =
    Boolean(ledger.escalation) ||
    (outcome === 'abstained' && (await handOffAfterAbstentions(deps, conversationId)));
  const offline = deps.chat.offline;
  const messageId = message.id;
  return {
    conversationId,
    messageId,
    answer: text,
    citations,
    toolCalls,
    escalated,
    outcome,
    model,
    offline,
    usage,
    latencyMs,
  };
}

/** A turn's figures as attributes of its span. */
function spanFigures(
  outcome: TurnOutcome,
  usage: { inputTokens: number; outputTokens: number },
  toolCalls: number,
  citations: number,
) {
  return {
    'parley.turn.outcome': outcome,
    'parley.usage.input_tokens': usage.inputTokens,
    'parley.usage.output_tokens': usage.outputTokens,
    'parley.turn.tool_calls': toolCalls,
    'parley.turn.citations': citations,
  };
}

/** The answer as the customer saw it stream: the hand-off instruction first, the closing notice last. */
function framedText(text: string, framing: AnswerFraming | undefined): string {
  if (!framing) return text;
  const framed = framing.decision ? withHandoffPrefix(text, framing.decision) : `${framing.prefix}${text}`;
  return framing.suffix ? `${framed.trimEnd()}\n\n${framing.suffix}`.trim() : framed.trim();
}

/**
 * Hands the conversation to a person once the agent has abstained twice in it (the customer keeps asking what
 * the documentation does not answer). Returns whether it is now escalated by this turn.
 */
async function handOffAfterAbstentions(deps: AgentDeps, conversationId: string): Promise<boolean> {
  if ((await countAbstainedTurns(deps.db, conversationId)) < abstentionsBeforeHandoff) return false;
  const reason = 'The assistant could not answer twice in this conversation';
  const escalated = await escalateConversation(deps.db, conversationId, { source: 'abstained', reason });
  if (escalated) {
    await sendHandoffNotification(deps.notify, { type: 'conversation.escalated', conversationId, reason });
  }
  return escalated;
}

/** Records a turn that produced no answer as a run with outcome `error`, then rethrows its failure. */
async function failTurn(
  deps: AgentDeps,
  input: TurnInput,
  span: Span,
  turn: { conversationId: string; latencyMs: number; failure: unknown },
): Promise<never> {
  const { failure } = turn;
  span.setAttribute('parley.turn.outcome', 'error');
  metrics.turns.inc({ outcome: 'error', model: deps.chat.id, channel: input.channel });
  await recordFailedRun(deps.db, turn.conversationId, {
    model: deps.chat.id,
    latencyMs: turn.latencyMs,
    outcome: 'error',
    retrieval: {
      error: (deps.redact ?? redactKnownShapes)(
        String((failure as Error | undefined)?.message ?? failure ?? 'no output'),
      ),
    },
  });
  throw failure ?? new Error('The model produced no answer.');
}

/** The model's steps once the stream has ended, and the error that ended it early, if any. */
async function finishedSteps(answer: StreamedAnswer): Promise<{ steps: Steps; failure: unknown }> {
  let rejected: unknown;
  const steps = await answer.result.steps.then(
    (s) => s,
    (error: unknown): Steps => {
      rejected = error;
      return [];
    },
  );
  // An error reported while streaming comes first: the rejection of `steps` may only echo it.
  return { steps, failure: answer.failure() ?? rejected };
}

type Steps = Awaited<StreamedAnswer['result']['steps']>;

/** What the finished steps amount to: the answer's text, tool calls, usage, citations and outcome. */
function collectAnswer(steps: Steps, ledger: TurnLedger) {
  // Everything the customer saw streamed, including text written before a tool call.
  const text = steps
    .map((s) => s.text)
    .join('')
    .trim();
  const calls = steps.flatMap((s) => s.toolCalls);
  const outputs = new Map(steps.flatMap((s) => s.toolResults.map((r) => [r.toolCallId, r.output] as const)));
  const usage = steps.reduce(
    (u, s) => ({
      inputTokens: u.inputTokens + (s.usage.inputTokens ?? 0),
      outputTokens: u.outputTokens + (s.usage.outputTokens ?? 0),
    }),
    { inputTokens: 0, outputTokens: 0 },
  );
  const citations = citedPassages(text, ledger.passages).map(
    ({ source, documentId, versionId, chunkId, heading, title }): Citation => ({
      source,
      documentId,
      versionId,
      chunkId,
      heading,
      title,
    }),
  );
  const outcome: TurnOutcome = ledger.escalation
    ? 'escalated'
    : ledger.emptySearches > 0 && ledger.passages.length === 0 && ledger.dataLookups === 0
      ? 'abstained'
      : 'answered';
  return {
    text,
    toolCalls: calls.map((c) => ({ name: c.toolName, input: c.input })),
    parts: calls.map((c) => ({
      type: 'tool',
      name: c.toolName,
      input: c.input,
      output: storedOutput(outputs.get(c.toolCallId) ?? null),
    })),
    usage,
    citations,
    outcome,
  };
}

/** What retrieval found in a turn, as recorded on its run. */
function retrievalFigures(ledger: TurnLedger): Record<string, unknown> {
  return {
    passages: ledger.passages.map((p) => ({
      chunkId: p.chunkId,
      relevance: Math.round(p.relevance * 100) / 100,
    })),
    emptySearches: ledger.emptySearches,
    solutionsOffered: [...ledger.offeredSolutions],
  };
}

function recordTurnMetrics(
  model: string,
  channel: Channel,
  outcome: TurnOutcome,
  latencyMs: number,
  usage: { inputTokens: number; outputTokens: number },
  toolCalls: { name: string }[],
): void {
  metrics.turns.inc({ outcome, model, channel });
  metrics.turnDuration.observe({ model }, latencyMs / 1000);
  metrics.tokens.inc({ model, direction: 'input' }, usage.inputTokens);
  metrics.tokens.inc({ model, direction: 'output' }, usage.outputTokens);
  metrics.cost.inc({ model }, estimateCost(model, usage.inputTokens, usage.outputTokens));
  for (const call of toolCalls) metrics.toolCalls.inc({ tool: call.name });
}

// Passages are kept in the chunks table; a stored tool result quotes only the start of each.
const storedPassageChars = 300;

/** A tool result as stored with the answer: retrieved passages shortened, everything else as it was. */
function storedOutput(output: unknown): unknown {
  const passages = (output as { passages?: { text?: unknown }[] } | null)?.passages;
  if (!Array.isArray(passages)) return output;
  return {
    ...(output as object),
    passages: passages.map((p) =>
      typeof p.text === 'string' && p.text.length > storedPassageChars
        ? { ...p, text: `${p.text.slice(0, storedPassageChars)}…` }
        : p,
    ),
  };
}

/** Passages the answer cites by their markers ([S1]); an answer that cites nothing has no citations. */
function citedPassages(answer: string, passages: Passage[]): Passage[] {
  const refs = new Set([...answer.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]));
  return passages.filter((p) => refs.has(p.ref));
}
