import { createRoute, z } from '@hono/zod-openapi';
import { createUIMessageStreamResponse, toUIMessageStream, type ToolSet, type UIMessageChunk } from 'ai';
import { startTurn, type Turn } from '../../agent/agent.ts';
import { type ChatMetadata, ChatRequest, type ParleyUIMessage } from '../../contracts/chat.ts';
import { citationTitle, citationUrl } from '../../support/citations.ts';
import { targetConversation } from '../../support/conversations.ts';
import type { App } from '../app.ts';
import { chatTurnTarget, identityHeaders, trackInflight, withNumberedCitations } from '../chat-turn.ts';
import { ApiError, errorResponses } from '../errors.ts';

const route = createRoute({
  method: 'post',
  path: '/api/chat',
  tags: ['Chat'],
  summary: 'Chat turn as an AI SDK UI message stream (for useChat)',
  description:
    'Send the `useChat` request body. The answer streams as Server-Sent Events in the AI SDK UI message ' +
    'stream protocol: text, tool activity, citations as `source-url` parts, and message metadata carrying ' +
    '`conversationId`, `model`, `offline`, and once stored the `messageId`. Citation markers in the text are ' +
    '[1], [2], ... in the order of the `source-url` parts. Identify the customer with ' +
    '`X-Parley-Customer` + `X-Parley-Signature` or a customer JWT; otherwise send `X-Parley-Visitor`. An id ' +
    "that is not the caller's own conversation starts a new one (see `conversationId` in the metadata).",
  request: { body: { content: { 'application/json': { schema: ChatRequest } }, required: true } },
  responses: {
    200: {
      description: 'UI message stream (text/event-stream)',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses,
  },
});

/** The text of the last user message in a `useChat` request. */
export function lastUserText(messages: ChatRequest['messages']): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) throw new ApiError('invalid_request', 'There is no user message.');
  return last.parts
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/**
 * A turn as a UI message stream: the model's text (citation markers numbered as the citations are listed) and
 * tool activity, then the citations as `source-url` parts, then a finish carrying the stored message's id. A
 * failure after the stream has started can only be reported in the stream, so it ends with an error finish and
 * is passed to `onFailure`. A client that goes away is normal: the answer is still read to its end and stored
 * (it shows in the conversation's history), and nothing is reported.
 */
function uiMessageStream(
  turn: Turn,
  base: ChatMetadata,
  onFailure: (error: Error) => void,
): ReadableStream<UIMessageChunk> {
  let gone = false;
  return new ReadableStream<UIMessageChunk>({
    async start(controller) {
      const send = (chunk: UIMessageChunk) => {
        if (!gone) controller.enqueue(chunk);
      };
      const { stream, numbering } = withNumberedCitations(turn.stream);
      const answer = toUIMessageStream<ToolSet, ParleyUIMessage>({
        stream,
        sendFinish: false,
        messageMetadata: ({ part }) => (part.type === 'start' ? base : undefined),
        onError: () => 'The assistant could not answer. Please try again.',
      });
      try {
        for await (const chunk of answer) send(chunk as UIMessageChunk);
        const result = await turn.done;
        for (const citation of numbering.order(result.citations)) {
          send({
            type: 'source-url',
            sourceId: citation.chunkId,
            url: citationUrl(citation),
            title: citationTitle(citation),
          });
        }
        const metadata: ChatMetadata = {
          ...base,
          messageId: result.messageId,
          outcome: result.outcome,
          escalated: result.escalated,
        };
        send({ type: 'finish', finishReason: 'stop', messageMetadata: metadata });
      } catch (error) {
        onFailure(error as Error);
        send({ type: 'finish', finishReason: 'error', messageMetadata: base });
      }
      if (!gone) controller.close();
    },
    cancel() {
      gone = true;
    },
  });
}

/** `POST /api/chat`: one turn of the agent for `useChat`. */
export function registerChat(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const { db, agent, inflight, log, onError } = c.get('services');
    const identity = c.get('identity');
    const requestId = c.get('requestId');
    const target = await targetConversation(db, identity, body.conversationId ?? body.id);
    const turn = await startTurn(agent, {
      identity,
      message: lastUserText(body.messages),
      channel: body.channel,
      ...chatTurnTarget(target),
    });
    trackInflight(inflight, turn.done);
    const base = { conversationId: turn.conversationId, model: agent.chat.id, offline: agent.chat.offline };
    const stream = uiMessageStream(turn, base, (error) => {
      log.error('chat turn failed', { requestId, error: error.message });
      onError?.(error, requestId);
    });
    return createUIMessageStreamResponse({ stream, headers: identityHeaders(identity, turn.conversationId) });
  });
}
