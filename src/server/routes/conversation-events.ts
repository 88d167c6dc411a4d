import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '../../contracts/primitives.ts';
import { getOwnConversation } from '../../support/conversations.ts';
import { conversationState, getVisibleMessage, markCustomerWatching } from '../../support/transcripts.ts';
import type { App } from '../app.ts';
import { errorResponses, notFound } from '../errors.ts';
import { streamConversationEvents } from '../event-stream.ts';

const route = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/events',
  tags: ['Chat'],
  summary: "Live events of one of the caller's conversations (staff replies, hand-off notices)",
  description:
    'A Server-Sent Events stream, authorised exactly like `GET /api/conversations/{id}`. It opens with a ' +
    '`conversation` event (`{status, assignee}`: the display name of the person holding the conversation, or ' +
    'null), then sends a `message` event (a message as in the transcript: `{id, role, content, author, ...}`) ' +
    'for every message stored from then on, a `conversation` event when the status or the person holding it ' +
    'changes, and a `ping` when idle. Internal staff notes are never sent.',
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Event stream (text/event-stream)',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses,
  },
});

/** `GET /api/conversations/{id}/events`: what happens in the caller's own conversation, as it happens. */
export function registerConversationEvents(app: App): void {
  app.openapi(route, async (c) => {
    const { db, events } = c.get('services');
    const conversation = await getOwnConversation(db, c.get('identity'), c.req.valid('param').id);
    if (!conversation) throw notFound('Conversation');
    const conversationId = conversation.id;
    const state = async () => ({
      event: 'conversation',
      data: JSON.stringify(
        (await conversationState(db, conversationId)) ?? { status: 'unknown', assignee: null },
      ),
    });
    // The typed 200 of the route is the stream's schema; the response itself is a plain SSE stream.
    return streamConversationEvents(c, {
      events,
      watcher: 'customer',
      conversationId,
      opening: state,
      render: async (event) => {
        if (event.kind === 'conversation') return state();
        if (event.kind !== 'message' || !event.messageId) return undefined;
        const message = await getVisibleMessage(db, conversationId, event.messageId);
        return message && { event: 'message', id: message.id, data: JSON.stringify(message) };
      },
      onPresence: (open) => markCustomerWatching(db, conversationId, open),
    }) as never;
  });
}
