import { maxMessageLength } from '../contracts/limits.ts';
import { type ModelMessage } from 'ai';
import { type Conversation } from '../db/schema/index.ts';
import { type Span, withSpan } from '../ops/telemetry.ts';
import { handoffStatus } from '../support/business-hours.ts';
import { companyProfile } from '../support/company-profile.ts';
import {
  appendMessage,
  earlierConversationSummaries,
  getOwnConversationWithHistory,
  type HistoryMessage,
  startConversation,
} from '../support/conversations.ts';
import { getCustomerProfile } from '../support/customers.ts';
import { assigneeOf } from '../support/inbox.ts';
import { readPreferences } from '../support/preferences.ts';
import { framedAnswer } from './answer-stream.ts';
import { recallConversation } from './conversation-memory.ts';
import { applyHandoffRule } from './handoff-rules.ts';
import { heldTurn } from './held-turn.ts';
import { currentChatModel } from './models/index.ts';
import { streamAnswer } from './model-call.ts';
import { buildInstructions } from './prompt.ts';
import { type AnswerFraming, storeAnswer } from './store-answer.ts';
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
export async function startTurn(agent: AgentDeps, input: TurnInput): Promise<Turn> {
  // A model promoted since the last turn answers this one, from start to finish (see `ChatModel.current`).
  const deps = { ...agent, chat: await currentChatModel(agent.chat) };
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
  const { conversation, history: earlier } = await openConversation(deps, input);
  span.setAttribute('gen_ai.conversation.id', conversation.id);
  // While a person holds the conversation the bot stays silent: the message is stored for them.
  const holder = conversation.status === 'resolved' ? undefined : assigneeOf(conversation);
  if (holder) return heldTurn(deps, input, span, { conversation, holder, text, started });
  const history = await recordQuestion(deps, conversation, earlier, text);
  const ledger = new TurnLedger();
  const ctx: ToolContext = {
    db: deps.db,
    embedder: deps.embedder,
    identity: input.identity,
    conversationId: conversation.id,
    abstainThreshold: deps.settings.abstainThreshold,
    ledger,
    notify: deps.notify,
    now: deps.now,
  };
  const { instructions, framing } = await prepareInstructions(deps, input, ctx, text, history.summary);
  const messages: ModelMessage[] = [...history.messages, { role: 'user', content: text }];
  const answer = streamAnswer(deps, input, ctx, instructions, messages);
  const done = storeAnswer(deps, input, span, {
    conversationId: conversation.id,
    started,
    ledger,
    answer,
    framing,
  });
  // The caller may only read `stream`; make sure a failure is still observed once.
  done.catch(() => {});
  return { conversationId: conversation.id, stream: framedAnswer(answer.result.stream, framing), done };
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

/** The caller's own conversation and its messages so far, or a new one when the input names none. */
async function openConversation(
  deps: AgentDeps,
  input: TurnInput,
): Promise<{ conversation: Conversation; history: HistoryMessage[] }> {
  if (!input.conversationId) {
    const conversation = await startConversation(
      deps.db,
      input.identity,
      input.channel,
      input.newConversationId,
    );
    return { conversation, history: [] };
  }
  const own = await getOwnConversationWithHistory(deps.db, input.identity, input.conversationId);
  if (!own) throw new TurnInputError('conversation_not_found', 'No such conversation.');
  return own;
}

/**
 * Stores the customer's message before anything else (so a failing model loses nothing) and returns the
 * history the model sees: the recent messages that fit the budget, and a summary of those that no longer do.
 * Staff replies count as the support side of the conversation, so the agent knows what a person already said.
 */
async function recordQuestion(
  deps: AgentDeps,
  conversation: Conversation,
  history: HistoryMessage[],
  text: string,
): Promise<{ messages: ModelMessage[]; summary: string | null }> {
  const earlier = history.map((m) =>
    m.role === 'staff' ? { role: 'assistant' as const, content: m.content } : m,
  );
  // Published with the insert: staff watching the inbox see the question at once.
  await appendMessage(
    deps.db,
    { conversationId: conversation.id, role: 'user', content: text },
    { publish: true },
  );
  return recallConversation(deps, conversation, earlier);
}

/**
 * The system instructions for this turn. A message that triggers a hand-off rule (safety, legal, privacy, a
 * company's own rule, or an explicit request for a person) is escalated first, whatever the model does then:
 * the rule's note joins the instructions, its instruction begins the answer, and outside business hours the
 * answer ends by saying when people are back.
 */
async function prepareInstructions(
  deps: AgentDeps,
  input: TurnInput,
  ctx: ToolContext,
  text: string,
  conversationSummary: string | null,
): Promise<{ instructions: string; framing: AnswerFraming }> {
  const company = await companyProfile(deps.db);
  const decision = applyHandoffRule(text, { handoffRules: company.handoffRules });
  let suffix = '';
  if (decision) {
    await escalateConversation(
      ctx,
      decision.escalationReason,
      decision.reason === 'requested' ? 'requested' : 'rule',
    );
    const hours = handoffStatus(company, deps.now?.() ?? new Date());
    if (!hours.open) suffix = hours.text;
  }
  const customerId = input.identity.kind === 'customer' ? input.identity.customerId : undefined;
  // Independent reads: a database server answers them side by side.
  const [customer, preferences, earlierConversations] = await Promise.all([
    customerId ? getCustomerProfile(deps.db, customerId) : undefined,
    customerId ? readPreferences(deps.db, customerId) : {},
    earlierConversationSummaries(deps.db, input.identity, ctx.conversationId),
  ]);
  const instructions = buildInstructions({
    company,
    customer,
    preferences,
    earlierConversations,
    conversationSummary,
    handedOff: false,
    today: deps.now?.() ?? new Date(),
  });
  return {
    instructions: decision ? `${instructions}\n\n${decision.promptNote}` : instructions,
    framing: { prefix: decision?.answerPrefix ?? '', suffix, decision },
  };
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
