import { createRoute } from '@hono/zod-openapi';
import {
  ConversationList,
  FeedbackInput,
  HandoffInput,
  HandoffResult,
  OwnTranscript,
} from '../../contracts/chat.ts';
import { IdParam, Ok } from '../../contracts/primitives.ts';
import { listOwnConversationItems } from '../../support/conversations.ts';
import { recordFeedback } from '../../support/feedback.ts';
import { handOffConversation } from '../../support/handoff.ts';
import { getOwnTranscript } from '../../support/transcripts.ts';
import type { App } from '../app.ts';
import { notFound } from '../errors.ts';
import { jsonBody, jsonResponse } from './openapi-io.ts';

const tags = ['Chat'];

const list = createRoute({
  method: 'get',
  path: '/api/conversations',
  tags,
  summary: "The caller's own conversations, most recent first",
  responses: jsonResponse(ConversationList, 'Conversations'),
});

const show = createRoute({
  method: 'get',
  path: '/api/conversations/{id}',
  tags,
  summary: "One of the caller's conversations with its messages and citations",
  request: { params: IdParam },
  responses: jsonResponse(OwnTranscript, 'Transcript'),
});

const handoff = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/handoff',
  tags,
  summary: 'Talk to a human: hand the conversation over to the support team',
  request: { params: IdParam, body: { ...jsonBody(HandoffInput), required: false } },
  responses: jsonResponse(HandoffResult, 'Handed over'),
});

const rate = createRoute({
  method: 'post',
  path: '/api/feedback',
  tags,
  summary: 'Thumbs up or down on an answer, with an optional reason',
  request: { body: jsonBody(FeedbackInput) },
  responses: jsonResponse(Ok, 'Recorded'),
});

/** The caller's own conversations: list, transcript, hand-off to a person, and feedback on answers. */
export function registerConversations(app: App): void {
  app.openapi(list, async (c) => {
    const conversations = await listOwnConversationItems(c.get('services').db, c.get('identity'));
    return c.json({ conversations }, 200);
  });

  app.openapi(show, async (c) => {
    const transcript = await getOwnTranscript(
      c.get('services').db,
      c.get('identity'),
      c.req.valid('param').id,
    );
    if (!transcript) throw notFound('Conversation');
    return c.json(transcript, 200);
  });

  app.openapi(handoff, async (c) => {
    const { db, notify } = c.get('services');
    const { reason } = c.req.valid('json');
    const result = await handOffConversation(db, c.get('identity'), c.req.valid('param').id, reason, {
      notify,
    });
    if (!result) throw notFound('Conversation');
    return c.json(result, 200);
  });

  app.openapi(rate, async (c) => {
    const { db, notify } = c.get('services');
    const recorded = await recordFeedback(db, c.get('identity'), c.req.valid('json'), notify);
    if (!recorded) throw notFound('Message');
    return c.json({ ok: true as const }, 200);
  });
}
