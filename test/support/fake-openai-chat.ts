/** A tool call as it travels in chat-completions requests and responses. */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A message of a chat-completions request, as the SDK sends it. */
export type ChatMessage =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string | Record<string, unknown>[] }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** The body of a `POST /v1/chat/completions` request (the fields tests look at; the rest is kept as sent). */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  tools?: {
    type: 'function';
    function: { name: string; description?: string; parameters: Record<string, unknown> };
  }[];
  tool_choice?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

/** Token counts to report; by default they are estimated from the request and reply sizes. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A tool call to script: `arguments` as an object, or as a raw string to send malformed JSON. */
export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
}

/**
 * What the fake model answers to one request: text (streamed in the given pieces, or word by word), tool
 * calls, or both (text said before calling tools, as some models do).
 */
export type ChatReply = (
  { text: string | string[]; toolCalls?: ScriptedToolCall[] } | { toolCalls: ScriptedToolCall[] }
) & {
  usage?: ChatUsage;
};

/** A scripted reply, or a function of the request deciding it (e.g. from the tool results sent back). */
export type ChatScriptEntry = ChatReply | ((body: ChatRequestBody) => ChatReply);

/** Whether a request body is shaped like a chat-completions request. */
export function isChatRequest(body: Record<string, unknown>): body is ChatRequestBody {
  return typeof body.model === 'string' && Array.isArray(body.messages);
}

/**
 * The tool results a request carries, each with the name of the tool call it answers and its content parsed
 * from JSON when it is JSON.
 */
export function toolResults(body: ChatRequestBody): { name: string; toolCallId: string; content: unknown }[] {
  const names = new Map(
    body.messages
      .flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []) : []))
      .map((c) => [c.id, c.function.name]),
  );
  return body.messages.flatMap((m) =>
    m.role === 'tool'
      ? [{ name: names.get(m.tool_call_id) ?? '', toolCallId: m.tool_call_id, content: parseJson(m.content) }]
      : [],
  );
}

/** The reply as a non-streaming `chat.completion` object. */
export function chatCompletion(body: ChatRequestBody, reply: ChatReply, id: string) {
  const { text, toolCalls, finishReason } = wireReply(reply, id);
  return {
    id,
    object: 'chat.completion',
    created: created(),
    model: body.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text ?? null,
          refusal: null,
          ...(toolCalls && { tool_calls: toolCalls }),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: wireUsage(body, reply),
  };
}

/**
 * The reply as the `chat.completion.chunk` objects of a stream, shaped like OpenAI's: a role chunk, text or
 * tool-call deltas (a call's name first, then its arguments in pieces), a finish chunk, and a usage chunk with
 * no choices when `stream_options.include_usage` is set. The `[DONE]` sentinel is the caller's.
 */
export function chatCompletionChunks(body: ChatRequestBody, reply: ChatReply, id: string) {
  const { text, toolCalls, finishReason } = wireReply(reply, id);
  const base = { id, object: 'chat.completion.chunk', created: created(), model: body.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  // OpenAI opens a text answer with an empty content delta, and a tool-calls-only answer with null content.
  const deltas: Record<string, unknown>[] = [
    text === undefined
      ? { role: 'assistant', content: null }
      : { role: 'assistant', content: '', refusal: null },
    ...textPieces(reply).map((piece) => ({ content: piece })),
  ];
  (toolCalls ?? []).forEach((call, index) => {
    deltas.push({
      tool_calls: [
        { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
      ],
    });
    for (const piece of halves(call.function.arguments)) {
      deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  return [
    ...deltas.map((d) => chunk(d)),
    chunk({}, finishReason),
    ...(body.stream_options?.include_usage ? [{ ...base, choices: [], usage: wireUsage(body, reply) }] : []),
  ];
}

function wireReply(reply: ChatReply, id: string) {
  const text = 'text' in reply ? textPieces(reply).join('') : undefined;
  const toolCalls = reply.toolCalls?.map((c, i): WireToolCall => ({
    id: `call_${id.replace(/^chatcmpl-/, '')}_${i}`,
    type: 'function',
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
  return { text, toolCalls, finishReason: toolCalls?.length ? 'tool_calls' : 'stop' };
}

function textPieces(reply: ChatReply): string[] {
  if (!('text' in reply)) return [];
  return typeof reply.text === 'string' ? reply.text.split(/(?<= )/) : reply.text;
}

function wireUsage(body: ChatRequestBody, reply: ChatReply) {
  const estimate = (s: string) => Math.ceil(s.length / 4);
  const prompt = reply.usage?.promptTokens ?? estimate(JSON.stringify(body.messages));
  const completion =
    reply.usage?.completionTokens ??
    estimate(textPieces(reply).join('') + JSON.stringify(reply.toolCalls ?? []));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** A string in two pieces, so clients must join streamed deltas. */
function halves(s: string): string[] {
  const mid = Math.ceil(s.length / 2);
  return s.length < 2 ? [s] : [s.slice(0, mid), s.slice(mid)];
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const created = () => Math.floor(Date.now() / 1000);
