import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import {
  ConversationQuery,
  ConversationRows,
  FeedbackQuery,
  FeedbackRows,
  ResolveResult,
  Transcript,
} from '../../../contracts/conversations.ts';
import { listStaffConversations } from '../../../support/conversations.ts';
import { ResolveInput } from '../../../contracts/inbox.ts';
import { listFeedback } from '../../../support/feedback.ts';
import { getTranscript } from '../../../support/transcripts.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { resolveAsStaff } from '../../resolve-conversation.ts';
import { jsonResponse } from '../openapi-io.ts';
import { optionalBody, unwrap } from './inbox.ts';

const tags = ['Admin: conversations'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/conversations',
  tags,
  summary: 'Conversations; by default escalated first, then thumbs-down, then the rest',
  request: { query: ConversationQuery },
  responses: jsonResponse(ConversationRows),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/conversations/{id}',
  tags,
  summary: 'Transcript with tool calls, citations, figures and feedback',
  request: { params: IdParam },
  responses: jsonResponse(Transcript),
});

const resolve = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/resolve',
  tags,
  summary: 'Mark resolved, with an optional note; its fix becomes a suggested solution for review',
  description:
    'Whoever held the conversation leaves it (the customer sees a notice). The note, when given, is kept as an ' +
    'internal note and becomes the suggested solution\'s resolution. Optional JSON body `{"note": "..."}` ' +
    '(`ResolveInput`).',
  request: { params: IdParam },
  responses: jsonResponse(ResolveResult),
});

const feedbackList = createRoute({
  method: 'get',
  path: '/api/admin/feedback',
  tags,
  summary: 'Recent thumbs up and down with reasons',
  request: { query: FeedbackQuery },
  responses: jsonResponse(FeedbackRows),
});

/** Staff views of conversations: triage listing, transcripts, resolution and feedback. */
export function registerAdminConversations(app: App): void {
  app.openapi(list, async (c) => {
    const conversations = await listStaffConversations(c.get('services').db, c.req.valid('query'));
    return c.json({ conversations }, 200);
  });

  app.openapi(show, async (c) => {
    const transcript = await getTranscript(c.get('services').db, c.req.valid('param').id);
    if (!transcript) throw notFound('Conversation');
    return c.json(transcript, 200);
  });

  app.openapi(resolve, async (c) => {
    const staff = c.get('staff');
    const { note } = await optionalBody(c, ResolveInput);
    const author = { name: staff.name, tokenId: staff.tokenId };
    return c.json(
      unwrap(await resolveAsStaff(c.get('services'), c.req.valid('param').id, author, note)),
      200,
    );
  });

  app.openapi(feedbackList, async (c) => {
    const feedback = await listFeedback(c.get('services').db, c.req.valid('query').limit);
    return c.json({ feedback }, 200);
  });
}
