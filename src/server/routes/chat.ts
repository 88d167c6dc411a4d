import { createRoute, z } from '@hono/zod-openapi';
import { createUIMessageStreamResponse, toUIMessageStream, type ToolSet, type UIMessageChunk } from 'ai';
import { startTurn } from '../../agent/agent.ts';
import { conversationExists, getOwnConversation, uuidPattern } from '../../support/conversations.ts';
import type { Identity } from '../../support/identity.ts';
import type { App } from '../app.ts';
import { type ChatMetadata, citationTitle, citationUrl, type ParleyUIMessage } from '../chat-protocol.ts';
import { ApiError, errorResponses } from '../errors.ts';

const UIMessagePart = z.object({ type: z.string() }).passthrough();

/** What `useChat` (AI SDK UI) posts: the chat id and its messages; Parley reads only the last user message. */
export const ChatRequest = z
  .object({
    id: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'Chat id; a UUID continues that conversation' }),
    conversationId: z.string().regex(uuidPattern).optional(),
    messages: z
      .array(
        z
          .object({
            id: z.string().max(100).optional(),
            role: z.enum(['user', 'assistant', 'system']),
            parts: z.array(UIMessagePart).max(200),
          })
          .passthrough(),
      )
      .min(1)
      .max(500),
    trigger: z.string().optional(),
    messageId: z.string().optional(),
    channel: z.enum(['web', 'widget']).default('web'),
  })
  .openapi('ChatRequest');

const route = createRoute({
  method: 'post',
  path: '/api/chat',
  tags: ['Chat'],
  summary: 'Chat turn as an AI SDK UI message stream (for useChat)',
  description:
    'Send the `useChat` request body. The answer streams as Server-Sent Events in the AI SDK UI message ' +
    'stream protocol: text, tool activity, citations as `source-url` parts, and message metadata carrying ' +
    '`conversationId`, `model`, `offline`, and once stored the `messageId`. Identify the customer with ' +
    '`X-Parley-Customer` + `X-Parley-Signature` or a customer JWT; otherwise send `X-Parley-Visitor`.',
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
export function lastUserText(messages: z.infer<typeof ChatRequest>['messages']): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) throw new ApiError('invalid_request', 'There is no user message.');
  return last.parts
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/**
 * Which conversation a chat id refers to: one the caller owns continues; an unused UUID starts a new
 * conversation under that id; someone else's is refused exactly like a missing one.
 */
export async function conversationFor(
  db: Parameters<typeof getOwnConversation>[0],
  identity: Identity,
  id: string | undefined,
): Promise<{ conversationId?: string; newConversationId?: string }> {
  if (!id || !uuidPattern.test(id)) return {};
  if (await getOwnConversation(db, identity, id)) return { conversationId: id };
  if (await conversationExists(db, id)) {
    throw new ApiError('conversation_not_found', 'No such conversation.');
  }
  return { newConversationId: id };
}

/** Keeps an answer being streamed in `inflight` until it is stored, so shutdown can wait for it. */
export function trackInflight(inflight: Set<Promise<unknown>>, done: Promise<unknown>): void {
  inflight.add(done);
  const settle = () => inflight.delete(done);
  done.then(settle, settle);
}

/** Headers telling the client which conversation (and, for visitors, which visitor id) this was. */
export function identityHeaders(identity: Identity, conversationId: string): Record<string, string> {
  return {
    'x-parley-conversation-id': conversationId,
    ...(identity.kind === 'visitor' ? { 'x-parley-visitor': identity.visitorId } : {}),
  };
}

export function registerChat(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const { db, agent, inflight, log, onError } = c.get('services');
    const identity = c.get('identity');
    const target = await conversationFor(db, identity, body.conversationId ?? body.id);
    const turn = await startTurn(agent, {
      identity,
      message: lastUserText(body.messages),
      channel: body.channel,
      ...target,
    });
    trackInflight(inflight, turn.done);

    const base: ChatMetadata = {
      conversationId: turn.conversationId,
      model: agent.chat.id,
      offline: agent.chat.offline,
    };
    const requestId = c.get('requestId');
    const stream = new ReadableStream<UIMessageChunk>({
      async start(controller) {
        const answer = toUIMessageStream<ToolSet, ParleyUIMessage>({
          stream: turn.stream,
          sendFinish: false,
          messageMetadata: ({ part }) => (part.type === 'start' ? base : undefined),
          onError: () => 'The assistant could not answer. Please try again.',
        });
        try {
          for await (const chunk of answer) controller.enqueue(chunk as UIMessageChunk);
          const result = await turn.done;
          for (const citation of result.citations) {
            controller.enqueue({
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
          controller.enqueue({ type: 'finish', finishReason: 'stop', messageMetadata: metadata });
        } catch (error) {
          log.error('chat turn failed', { requestId, error: (error as Error).message });
          onError?.(error as Error, requestId);
          controller.enqueue({ type: 'finish', finishReason: 'error', messageMetadata: base });
        }
        controller.close();
      },
    });
    return createUIMessageStreamResponse({
      stream,
      headers: identityHeaders(identity, turn.conversationId),
    });
  });
}
