import { maxMessageLength } from '../contracts/limits.ts';
import {
  type AsyncIterableStream,
  isStepCount,
  type ModelMessage,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from 'ai';
import { eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { agentRuns, type Citation, conversations } from '../db/schema/index.ts';
import { type Embedder } from '../knowledge/embed/embedder.ts';
import { metrics } from '../ops/metrics.ts';
import { type Span, withSpan } from '../ops/telemetry.ts';
import { getCustomerProfile } from '../support/customers.ts';
import {
  appendMessage,
  type Channel,
  earlierConversationSummaries,
  getOwnConversation,
  listTurns,
  setConversationSummary,
  startConversation,
} from '../support/conversations.ts';
import { type Identity } from '../support/identity.ts';
import { readPreferences } from '../support/preferences.ts';
import { summariseTurns, windowHistory } from './context.ts';
import type { ChatModel } from './models/index.ts';
import { estimateCost } from './models/pricing.ts';
import { asksForHuman, buildInstructions, companyProfile } from './prompt.ts';
import { escalateConversation } from './tools/escalate.ts';
import { buildTools, type Passage, type ToolContext, TurnLedger } from './tools/index.ts';

export interface AgentSettings {
  maxSteps: number;
  historyTokens: number;
  abstainThreshold: number;
}

export interface AgentDeps {
  db: Db;
  embedder: Embedder;
  chat: ChatModel;
  settings: AgentSettings;
  /** Summarises turns that leave the history window; deterministic when absent. */
  summarise?: (turns: { role: string; content: string }[]) => Promise<string>;
  now?: () => Date;
}

export interface TurnInput {
  identity: Identity;
  message: string;
  conversationId?: string | undefined;
  /** Starts the new conversation under this id (a client-chosen UUID) instead of a generated one. */
  newConversationId?: string | undefined;
  channel: Channel;
  abortSignal?: AbortSignal;
}

export type TurnOutcome = 'answered' | 'abstained' | 'escalated' | 'error';

export interface TurnResult {
  conversationId: string;
  messageId: string;
  answer: string;
  citations: Citation[];
  toolCalls: { name: string; input: unknown }[];
  escalated: boolean;
  outcome: TurnOutcome;
  model: string;
  offline: boolean;
  usage: { inputTokens: number; outputTokens: number };
  latencyMs: number;
}

export interface Turn {
  conversationId: string;
  /** The model's stream: text deltas, tool calls and results as they happen. */
  stream: AsyncIterableStream<TextStreamPart<ToolSet>>;
  /** Resolves once the answer is stored. */
  done: Promise<TurnResult>;
}

/** A request the caller must fix: empty or oversized message, unknown conversation. */
export class TurnInputError extends Error {
  constructor(
    readonly code: 'empty_message' | 'message_too_long' | 'conversation_not_found',
    message: string,
  ) {
    super(message);
    this.name = 'TurnInputError';
  }
}

/**
 * Starts one agent turn: stores the user's message first (so a failing model loses nothing), assembles the
 * prompt and the session's tools, and streams the model's answer; `done` stores the answer with its
 * citations, tool calls and figures. The turn is one trace: its `parley.turn` span ends when `done` settles.
 */
export async function startTurn(deps: AgentDeps, input: TurnInput): Promise<Turn> {
  // Who is asking is recorded by kind only: names and emails stay out of traces.
  const attributes = {
    'parley.channel': input.channel,
    'parley.identity.kind': input.identity.kind,
    'parley.model': deps.chat.id,
    'parley.message.length': input.message.length,
  };
  return withSpan('parley.turn', attributes, (span) => openTurn(deps, input, span), {
    endWhen: (turn) => turn.done,
  });
}

async function openTurn(deps: AgentDeps, input: TurnInput, span: Span): Promise<Turn> {
  const started = performance.now();
  const text = input.message.trim();
  if (!text) throw new TurnInputError('empty_message', 'The message is empty.');
  if (text.length > maxMessageLength) {
    throw new TurnInputError('message_too_long', `Messages are limited to ${maxMessageLength} characters.`);
  }
  const conversation = input.conversationId
    ? await getOwnConversation(deps.db, input.identity, input.conversationId)
    : await startConversation(deps.db, input.identity, input.channel, input.newConversationId);
  if (!conversation) throw new TurnInputError('conversation_not_found', 'No such conversation.');
  span.setAttribute('gen_ai.conversation.id', conversation.id);

  const earlier = await listTurns(deps.db, conversation.id);
  await appendMessage(deps.db, { conversationId: conversation.id, role: 'user', content: text });
  const window = windowHistory(earlier, deps.settings.historyTokens);
  const summary = await summaryFor(
    deps,
    conversation.id,
    conversation.summary,
    conversation.metadata,
    window.dropped,
  );

  const ledger = new TurnLedger();
  const ctx: ToolContext = {
    db: deps.db,
    embedder: deps.embedder,
    identity: input.identity,
    conversationId: conversation.id,
    abstainThreshold: deps.settings.abstainThreshold,
    ledger,
  };
  const handedOff = asksForHuman(text);
  if (handedOff) await escalateConversation(ctx, 'Customer asked for a person');
  const instructions = buildInstructions({
    company: await companyProfile(deps.db),
    customer:
      input.identity.kind === 'customer'
        ? await getCustomerProfile(deps.db, input.identity.customerId)
        : undefined,
    preferences:
      input.identity.kind === 'customer' ? await readPreferences(deps.db, input.identity.customerId) : {},
    earlierConversations: await earlierConversationSummaries(deps.db, input.identity, conversation.id),
    conversationSummary: summary,
    handedOff,
    today: deps.now?.() ?? new Date(),
  });
  const messages: ModelMessage[] = [...window.messages, { role: 'user', content: text }];

  let firstTokenAt: number | undefined;
  let failure: unknown;
  const result = streamText({
    model: deps.chat.model,
    instructions,
    messages,
    tools: buildTools(ctx),
    stopWhen: isStepCount(deps.settings.maxSteps),
    // On the last allowed step the model must answer rather than call yet another tool.
    prepareStep: ({ stepNumber }) =>
      stepNumber === deps.settings.maxSteps - 1 ? { toolChoice: 'none' } : undefined,
    abortSignal: input.abortSignal,
    telemetry: { functionId: 'parley.turn', recordInputs: false, recordOutputs: false },
    onChunk: ({ chunk }) => {
      if (chunk.type === 'text-delta' && firstTokenAt === undefined) firstTokenAt = performance.now();
    },
    onError: ({ error }) => {
      failure = error;
    },
  });

  const done = (async (): Promise<TurnResult> => {
    const steps = await result.steps.then(
      (s) => s,
      (error: unknown) => {
        failure ??= error;
        return [];
      },
    );
    const latencyMs = Math.round(performance.now() - started);
    if (failure || steps.length === 0) {
      span.setAttribute('parley.turn.outcome', 'error');
      metrics.turns.inc({ outcome: 'error', model: deps.chat.id, channel: input.channel });
      await deps.db.insert(agentRuns).values({
        conversationId: conversation.id,
        model: deps.chat.id,
        latencyMs,
        outcome: 'error',
        retrieval: { error: String((failure as Error | undefined)?.message ?? failure ?? 'no output') },
      });
      throw failure ?? new Error('The model produced no answer.');
    }
    // Everything the customer saw streamed, including text written before a tool call.
    const answer = steps
      .map((s) => s.text)
      .join('')
      .trim();
    const calls = steps.flatMap((s) => s.toolCalls);
    const outputs = new Map(
      steps.flatMap((s) => s.toolResults.map((r) => [r.toolCallId, r.output] as const)),
    );
    const toolCalls = calls.map((c) => ({ name: c.toolName, input: c.input }));
    const usage = steps.reduce(
      (u, s) => ({
        inputTokens: u.inputTokens + (s.usage.inputTokens ?? 0),
        outputTokens: u.outputTokens + (s.usage.outputTokens ?? 0),
      }),
      { inputTokens: 0, outputTokens: 0 },
    );
    const citations = citedPassages(answer, ledger.passages).map(
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
    const message = await appendMessage(deps.db, {
      conversationId: conversation.id,
      role: 'assistant',
      content: answer,
      parts: calls.map((c) => ({
        type: 'tool',
        name: c.toolName,
        input: c.input,
        output: storedOutput(outputs.get(c.toolCallId) ?? null),
      })),
      citations,
      model: deps.chat.id,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      latencyMs,
    });
    span.setAttributes({
      'parley.turn.outcome': outcome,
      'parley.usage.input_tokens': usage.inputTokens,
      'parley.usage.output_tokens': usage.outputTokens,
      'parley.turn.tool_calls': toolCalls.length,
      'parley.turn.citations': citations.length,
    });
    await deps.db.insert(agentRuns).values({
      conversationId: conversation.id,
      messageId: message.id,
      model: deps.chat.id,
      latencyMs,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - started),
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: estimateCost(deps.chat.id, usage.inputTokens, usage.outputTokens),
      tools: toolCalls.map((c) => c.name),
      retrieval: {
        passages: ledger.passages.map((p) => ({
          chunkId: p.chunkId,
          relevance: Math.round(p.relevance * 100) / 100,
        })),
        emptySearches: ledger.emptySearches,
        solutionsOffered: [...ledger.offeredSolutions],
      },
      outcome,
    });
    recordTurnMetrics(deps.chat.id, input.channel, outcome, latencyMs, usage, toolCalls);
    return {
      conversationId: conversation.id,
      messageId: message.id,
      answer,
      citations,
      toolCalls,
      escalated: Boolean(ledger.escalation),
      outcome,
      model: deps.chat.id,
      offline: deps.chat.offline,
      usage,
      latencyMs,
    };
  })();
  // The caller may only read `stream`; make sure a failure is still observed once.
  done.catch(() => {});
  return { conversationId: conversation.id, stream: result.stream, done };
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

/** Runs a turn to the end; `onText` receives the answer as it streams. */
export async function runTurn(
  deps: AgentDeps,
  input: TurnInput,
  onText?: (delta: string) => void,
): Promise<TurnResult> {
  const turn = await startTurn(deps, input);
  for await (const part of turn.stream) if (part.type === 'text-delta') onText?.(part.text);
  return turn.done;
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

/** The stored summary, refreshed when more turns have left the history window since it was made. */
async function summaryFor(
  deps: AgentDeps,
  conversationId: string,
  current: string | null,
  metadata: Record<string, unknown>,
  dropped: { role: string; content: string }[],
): Promise<string | null> {
  if (dropped.length === 0) return current;
  if (current && metadata.summarisedTurns === dropped.length) return current;
  const summary = await (deps.summarise?.(dropped).catch(() => summariseTurns(dropped)) ??
    summariseTurns(dropped));
  await setConversationSummary(deps.db, conversationId, summary);
  await deps.db
    .update(conversations)
    .set({ metadata: { ...metadata, summarisedTurns: dropped.length } })
    .where(eq(conversations.id, conversationId));
  return summary;
}
