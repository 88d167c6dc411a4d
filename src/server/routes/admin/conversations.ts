import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { conversations, conversationStatuses, feedback, messages } from '../../../db/schema/index.ts';
import { listConversations, listMessages } from '../../../support/conversations.ts';
import { resolveConversation } from '../../../support/solutions.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { messageView } from '../conversations.ts';
import { IdParam, iso, jsonResponse } from './common.ts';

const tags = ['Admin: conversations'];

const Row = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    status: z.string(),
    channel: z.string(),
    customerId: z.string().nullable(),
    customer: z.string().nullable(),
    customerName: z.string().nullable(),
    visitorId: z.string().nullable(),
    rating: z.number().nullable(),
    escalationReason: z.string().nullable(),
    messages: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ConversationRow');

const list = createRoute({
  method: 'get',
  path: '/api/admin/conversations',
  tags,
  summary: 'Conversations; by default escalated first, then thumbs-down, then the rest',
  request: {
    query: z.object({
      status: z.enum(conversationStatuses).optional(),
      rating: z.enum(['low']).optional(),
      customerId: z.string().uuid().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: jsonResponse(z.object({ conversations: z.array(Row) })),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/conversations/{id}',
  tags,
  summary: 'Transcript with tool calls, citations, figures and feedback',
  request: { params: IdParam },
  responses: jsonResponse(z.record(z.string(), z.unknown())),
});

const resolve = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/resolve',
  tags,
  summary: 'Mark resolved; its fix becomes a suggested solution for review',
  request: { params: IdParam },
  responses: jsonResponse(z.object({ status: z.literal('resolved'), solutionId: z.string().nullable() })),
});

const feedbackList = createRoute({
  method: 'get',
  path: '/api/admin/feedback',
  tags,
  summary: 'Recent thumbs up and down with reasons',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: jsonResponse(z.object({ feedback: z.array(z.record(z.string(), z.unknown())) })),
});

export function registerAdminConversations(app: App): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const rows = await listConversations(c.get('services').db, {
      status: q.status,
      lowRated: q.rating === 'low',
      customerId: q.customerId,
      triage: !q.status,
      limit: q.limit,
      offset: q.offset,
    });
    return c.json(
      {
        conversations: rows.map(({ summary: _s, ...r }) => ({
          ...r,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
        })),
      },
      200,
    );
  });

  app.openapi(show, async (c) => {
    const { db } = c.get('services');
    const [conversation] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, c.req.valid('param').id));
    if (!conversation) throw notFound('Conversation');
    const rows = await listMessages(db, conversation.id);
    const ratings = await db.select().from(feedback).where(eq(feedback.conversationId, conversation.id));
    return c.json(
      {
        conversation: {
          ...conversation,
          createdAt: iso(conversation.createdAt),
          updatedAt: iso(conversation.updatedAt),
        },
        messages: rows.map((m) => ({
          ...messageView(m),
          toolCalls: m.parts,
          model: m.model,
          inputTokens: m.inputTokens,
          outputTokens: m.outputTokens,
          latencyMs: m.latencyMs,
          feedback: ratings
            .filter((f) => f.messageId === m.id)
            .map((f) => ({ rating: f.rating, reason: f.reason, createdAt: iso(f.createdAt) })),
        })),
      },
      200,
    );
  });

  app.openapi(resolve, async (c) => {
    const { db } = c.get('services');
    const { id } = c.req.valid('param');
    const [exists] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, id));
    if (!exists) throw notFound('Conversation');
    const solution = await resolveConversation(db, id);
    return c.json({ status: 'resolved' as const, solutionId: solution?.id ?? null }, 200);
  });

  app.openapi(feedbackList, async (c) => {
    const rows = await c
      .get('services')
      .db.select({
        id: feedback.id,
        conversationId: feedback.conversationId,
        messageId: feedback.messageId,
        rating: feedback.rating,
        reason: feedback.reason,
        createdAt: feedback.createdAt,
        answer: messages.content,
      })
      .from(feedback)
      .leftJoin(messages, eq(messages.id, feedback.messageId))
      .orderBy(desc(feedback.createdAt))
      .limit(c.req.valid('query').limit);
    return c.json({ feedback: rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) })) }, 200);
  });
}
