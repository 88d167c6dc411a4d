import { maxMessageLength } from '../contracts/limits.ts';
import { type ModelMessage } from 'ai';
import { type Conversation } from '../db/schema/index.ts';
import { type Span, withSpan } from '../ops/telemetry.ts';
import { companyProfile } from '../support/company-profile.ts';
import { storeConversationSummary } from '../support/conversation-summary.ts';
import {
  appendMessage,
  earlierConversationSummaries,
  getOwnConversation,
  listTurns,
  startConversation,
} from '../support/conversations.ts';
import { getCustomerProfile } from '../support/customers.ts';
import { readPreferences } from '../support/preferences.ts';
import { summariseMessages, windowHistory } from './history-window.ts';
import { streamAnswer } from './model-call.ts';
import { asksForHuman, buildInstructions } from './prompt.ts';
import { storeAnswer } from './store-answer.ts';
import { escalateConversation } from './tools/escalate.ts';
import { type ToolContext, TurnLedger } from './tools/index.ts';
import { type AgentDeps, type Turn, type TurnInput, TurnInputError, type TurnResult } from './turn.ts';

export {
  type AgentDeps,
  type AgentSettings,
  type Turn,
  type TurnInput,
  TurnInputError,
  type TurnOutcome,
  type TurnResult,
} from './turn.ts';

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
  const text = checkedMessage(input.message);
  const conversation = await openConversation(deps, input);
  span.setAttribute('gen_ai.conversation.id', conversation.id);
  const history = await recordQuestion(deps, conversation, text);
  const ledger = new TurnLedger();
  const ctx: ToolContext = {
    db: deps.db,
    embedder: deps.embedder,
    identity: input.identity,
    conversationId: conversation.id,
    abstainThreshold: deps.settings.abstainThreshold,
    ledger,
  };
  const instructions = await prepareInstructions(deps, input, ctx, text, history.summary);
  const messages: ModelMessage[] = [...history.messages, { role: 'user', content: text }];
  const answer = streamAnswer(deps, input, ctx, instructions, messages);
  const done = storeAnswer(deps, input, span, { conversationId: conversation.id, started, ledger, answer });
  // The caller may only read `stream`; make sure a failure is still observed once.
  done.catch(() => {});
  return { conversationId: conversation.id, stream: answer.result.stream, done };
}

/** The message as the agent will read it, or a `TurnInputError` the caller must fix. */
function checkedMessage(message: string): string {
  const text = message.trim();
  if (!text) throw new TurnInputError('empty_message', 'The message is empty.');
  if (text.length > maxMessageLength) {
    throw new TurnInputError('message_too_long', `Messages are limited to ${maxMessageLength} characters.`);
  }
  return text;
}

/** The caller's own conversation, or a new one when the input names none. */
async function openConversation(deps: AgentDeps, input: TurnInput): Promise<Conversation> {
  const conversation = input.conversationId
    ? await getOwnConversation(deps.db, input.identity, input.conversationId)
    : await startConversation(deps.db, input.identity, input.channel, input.newConversationId);
  if (!conversation) throw new TurnInputError('conversation_not_found', 'No such conversation.');
  return conversation;
}

/**
 * Stores the customer's message before anything else (so a failing model loses nothing) and returns the
 * history the model sees: the recent messages that fit the budget, and a summary of those that no longer do.
 */
async function recordQuestion(
  deps: AgentDeps,
  conversation: Conversation,
  text: string,
): Promise<{ messages: ModelMessage[]; summary: string | null }> {
  const earlier = await listTurns(deps.db, conversation.id);
  await appendMessage(deps.db, { conversationId: conversation.id, role: 'user', content: text });
  const window = windowHistory(earlier, deps.settings.historyTokens);
  const summary = await summaryFor(deps, conversation, window.dropped);
  return { messages: window.messages, summary };
}

/** The system instructions for this turn; a customer who asks for a person is handed over first. */
async function prepareInstructions(
  deps: AgentDeps,
  input: TurnInput,
  ctx: ToolContext,
  text: string,
  conversationSummary: string | null,
): Promise<string> {
  const handedOff = asksForHuman(text);
  if (handedOff) await escalateConversation(ctx, 'Customer asked for a person');
  const customerId = input.identity.kind === 'customer' ? input.identity.customerId : undefined;
  return buildInstructions({
    company: await companyProfile(deps.db),
    customer: customerId ? await getCustomerProfile(deps.db, customerId) : undefined,
    preferences: customerId ? await readPreferences(deps.db, customerId) : {},
    earlierConversations: await earlierConversationSummaries(deps.db, input.identity, ctx.conversationId),
    conversationSummary,
    handedOff,
    today: deps.now?.() ?? new Date(),
  });
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

/** The stored summary, refreshed when more messages have left the history window since it was made. */
async function summaryFor(
  deps: AgentDeps,
  conversation: Conversation,
  dropped: { role: string; content: string }[],
): Promise<string | null> {
  if (dropped.length === 0) return conversation.summary;
  if (conversation.summary && conversation.metadata.summarisedTurns === dropped.length) {
    return conversation.summary;
  }
  const summary = await (deps.summarise?.(dropped).catch(() => summariseMessages(dropped)) ??
    summariseMessages(dropped));
  await storeConversationSummary(deps.db, conversation, summary, dropped.length);
  return summary;
}
