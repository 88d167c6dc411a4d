import { createRoute, z } from '@hono/zod-openapi';
import type { Message } from '../../db/schema/index.ts';
import { recordFeedback } from '../../support/feedback.ts';
import {
  appendMessage,
  getOwnConversation,
  listMessages,
  listOwnConversations,
  setConversationStatus,
} from '../../support/conversations.ts';
import type { App } from '../app.ts';
import { citationTitle, citationUrl } from '../chat-protocol.ts';
import { errorResponses, notFound } from '../errors.ts';

const ConversationItem = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    status: z.string(),
    channel: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ConversationItem');

export const CitationView = z
  .object({
    source: z.string(),
    url: z.string(),
    title: z.string(),
    documentId: z.string(),
    versionId: z.string(),
    chunkId: z.string(),
  })
  .openapi('CitationView');

const MessageView = z
  .object({
    id: z.string(),
    role: z.string(),
    content: z.string(),
    citations: z.array(CitationView),
    createdAt: z.string(),
  })
  .openapi('MessageView');

const Id = z.object({ id: z.string().uuid() });

export function messageView(m: Message) {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    citations: m.citations.map((c) => ({
      source: c.source,
      url: citationUrl(c),
      title: citationTitle(c),
      documentId: c.documentId,
      versionId: c.versionId,
      chunkId: c.chunkId,
    })),
    createdAt: m.createdAt.toISOString(),
  };
}

const list = createRoute({
  method: 'get',
  path: '/api/conversations',
  tags: ['Chat'],
  summary: "The caller's own conversations, most recent first",
  responses: {
    200: {
      description: 'Conversations',
      content: { 'application/json': { schema: z.object({ conversations: z.array(ConversationItem) }) } },
    },
    ...errorResponses,
  },
});

const show = createRoute({
  method: 'get',
  path: '/api/conversations/{id}',
  tags: ['Chat'],
  summary: "One of the caller's conversations with its messages and citations",
  request: { params: Id },
  responses: {
    200: {
      description: 'Transcript',
      content: {
        'application/json': {
          schema: z.object({ conversation: ConversationItem, messages: z.array(MessageView) }),
        },
      },
    },
    ...errorResponses,
  },
});

const handoff = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/handoff',
  tags: ['Chat'],
  summary: 'Talk to a human: hand the conversation over to the support team',
  request: {
    params: Id,
    body: {
      content: { 'application/json': { schema: z.object({ reason: z.string().max(500).optional() }) } },
      required: false,
    },
  },
  responses: {
    200: {
      description: 'Handed over',
      content: {
        'application/json': { schema: z.object({ status: z.literal('escalated'), message: z.string() }) },
      },
    },
    ...errorResponses,
  },
});

const rate = createRoute({
  method: 'post',
  path: '/api/feedback',
  tags: ['Chat'],
  summary: 'Thumbs up or down on an answer, with an optional reason',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            messageId: z.string().uuid(),
            rating: z.enum(['up', 'down']),
            reason: z.string().max(1000).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'Recorded',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

const item = (c: {
  id: string;
  title: string | null;
  status: string;
  channel: string;
  createdAt: Date;
  updatedAt: Date;
}) => ({
  id: c.id,
  title: c.title,
  status: c.status,
  channel: c.channel,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const handoffMessage =
  'I have passed this conversation to our support team. A person will reply here as soon as possible.';

export function registerConversations(app: App): void {
  app.openapi(list, async (c) => {
    const rows = await listOwnConversations(c.get('services').db, c.get('identity'), 50);
    return c.json({ conversations: rows.map(item) }, 200);
  });

  app.openapi(show, async (c) => {
    const { db } = c.get('services');
    const conversation = await getOwnConversation(db, c.get('identity'), c.req.valid('param').id);
    if (!conversation) throw notFound('Conversation');
    const rows = await listMessages(db, conversation.id);
    return c.json(
      {
        conversation: item(conversation),
        messages: rows.filter((m) => m.role === 'user' || m.role === 'assistant').map(messageView),
      },
      200,
    );
  });

  app.openapi(handoff, async (c) => {
    const { db } = c.get('services');
    const conversation = await getOwnConversation(db, c.get('identity'), c.req.valid('param').id);
    if (!conversation) throw notFound('Conversation');
    const reason = (await c.req.json().catch(() => ({}))) as { reason?: string };
    if (conversation.status !== 'escalated') {
      await setConversationStatus(
        db,
        conversation.id,
        'escalated',
        reason.reason?.slice(0, 500) || 'Customer asked for a person',
      );
      await appendMessage(db, {
        conversationId: conversation.id,
        role: 'assistant',
        content: handoffMessage,
      });
    }
    return c.json({ status: 'escalated' as const, message: handoffMessage }, 200);
  });

  app.openapi(rate, async (c) => {
    const body = c.req.valid('json');
    const ok = await recordFeedback(c.get('services').db, c.get('identity'), {
      messageId: body.messageId,
      rating: body.rating === 'up' ? 1 : -1,
      reason: body.reason,
    });
    if (!ok) throw notFound('Message');
    return c.json({ ok: true as const }, 200);
  });
}
