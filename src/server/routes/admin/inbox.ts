import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MessageView } from '../../../contracts/chat.ts';
import { IdParam } from '../../../contracts/primitives.ts';
import {
  AssignInput,
  HoldState,
  Inbox,
  InboxQuery,
  NoteInput,
  NoteList,
  NoteView,
  StaffReplyInput,
} from '../../../contracts/inbox.ts';
import {
  addNote,
  assignConversation,
  findStaff,
  type InboxResult,
  listInbox,
  listNotes,
  postStaffReply,
  releaseConversation,
} from '../../../support/inbox.ts';
import { sendHandoffNotification } from '../../../support/handoff-notifications.ts';
import type { AppEnv } from '../../app-env.ts';
import type { App } from '../../app.ts';
import { ApiError, errorResponses } from '../../errors.ts';
import { streamConversationEvents } from '../../event-stream.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: inbox'];

const inbox = createRoute({
  method: 'get',
  path: '/api/admin/inbox',
  tags,
  summary: 'Conversations that need a person, newest waiting first',
  request: { query: InboxQuery },
  responses: jsonResponse(Inbox),
});

const inboxEvents = createRoute({
  method: 'get',
  path: '/api/admin/inbox/events',
  tags,
  summary: 'Live events of every conversation (ids only), for the inbox and open transcripts',
  description:
    'A Server-Sent Events stream: `ready` once listening, then `message`, `conversation` and `note` events ' +
    'carrying `{kind, conversationId, messageId?, noteId?}`; read the rows through the admin API. `ping` when idle.',
  responses: {
    200: {
      description: 'Event stream (text/event-stream)',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses,
  },
});

const assign = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/assign',
  tags,
  summary: 'Take over a conversation (or give it to another staff member): the bot stops answering',
  description:
    'Optional JSON body `{"to": "<staff token name or id>"}` (`AssignInput`); without it, the caller takes it.',
  request: { params: IdParam },
  responses: jsonResponse(HoldState),
});

const reply = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/messages',
  tags,
  summary: 'Reply to the customer as yourself; the customer sees it at once',
  description: 'Replying to a conversation nobody holds takes it over. A resolved conversation answers 409.',
  request: { params: IdParam, body: jsonBody(StaffReplyInput) },
  responses: jsonResponse(MessageView),
});

const release = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/release',
  tags,
  summary: 'Hand the conversation back to the agent',
  request: { params: IdParam },
  responses: jsonResponse(HoldState),
});

const notes = createRoute({
  method: 'get',
  path: '/api/admin/conversations/{id}/notes',
  tags,
  summary: 'Internal notes (staff only; never shown to the customer)',
  request: { params: IdParam },
  responses: jsonResponse(NoteList),
});

const addNoteRoute = createRoute({
  method: 'post',
  path: '/api/admin/conversations/{id}/notes',
  tags,
  summary: 'Add an internal note',
  request: { params: IdParam, body: jsonBody(NoteInput) },
  responses: jsonResponse(NoteView),
});

/**
 * An optional JSON body, validated: no body (or an empty one, whatever its content type) is `{}`. Declared in
 * the route's description rather than as its body, whose validator refuses an empty body sent as JSON.
 */
export async function optionalBody<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError('invalid_request', 'The request body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      'invalid_request',
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The service's answer, or the refusal as the API error it maps to. */
export function unwrap<T>(result: InboxResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.refused, result.message);
}

const me = (c: Context<AppEnv>) => {
  const staff = c.get('staff');
  return { name: staff.name, tokenId: staff.tokenId };
};

/** The staff inbox: listing, live events, take over, reply, hand back and internal notes. */
export function registerAdminInbox(app: App): void {
  app.openapi(inbox, async (c) =>
    c.json(await listInbox(c.get('services').db, c.req.valid('query'), me(c)), 200),
  );

  app.openapi(
    inboxEvents,
    (c) =>
      streamConversationEvents(c, {
        events: c.get('services').events,
        watcher: 'staff',
        opening: async () => ({ event: 'ready', data: '{}' }),
        render: async (event) => ({ event: event.kind, data: JSON.stringify(event) }),
      }) as never,
  );

  app.openapi(assign, async (c) => {
    const { db } = c.get('services');
    const { to } = await optionalBody(c, AssignInput);
    const assignee = to ? await findStaff(db, to) : me(c);
    if (!assignee) throw new ApiError('not_found', 'No staff member has that name or token id.');
    return c.json(unwrap(await assignConversation(db, c.req.valid('param').id, assignee)), 200);
  });

  app.openapi(reply, async (c) => {
    const { db, notify } = c.get('services');
    const { id } = c.req.valid('param');
    const message = unwrap(await postStaffReply(db, id, me(c), c.req.valid('json').text));
    await sendHandoffNotification(notify, {
      type: 'conversation.staff_reply',
      conversationId: id,
      messageId: message.id,
    });
    return c.json(message, 200);
  });

  app.openapi(release, async (c) =>
    c.json(unwrap(await releaseConversation(c.get('services').db, c.req.valid('param').id)), 200),
  );

  app.openapi(notes, async (c) => {
    const list = unwrap(await listNotes(c.get('services').db, c.req.valid('param').id));
    return c.json({ notes: list }, 200);
  });

  app.openapi(addNoteRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(unwrap(await addNote(c.get('services').db, id, me(c), c.req.valid('json').text)), 200);
  });
}
