import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../contracts/primitives.ts';
import { ContactInput, ContactState } from '../../contracts/conversation-contact.ts';
import { contactState, saveContactEmail } from '../../support/conversation-contact.ts';
import type { App } from '../app.ts';
import { ApiError, notFound } from '../errors.ts';
import { jsonBody, jsonResponse } from './openapi-io.ts';

const tags = ['Chat'];

const show = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/contact',
  tags,
  summary: 'Whether the chat should ask for an email to reply to (a hand-off outside business hours)',
  request: { params: IdParam },
  responses: jsonResponse(ContactState, 'Contact state'),
});

const save = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/contact',
  tags,
  summary: 'Leave an email so the support team can reply there',
  request: { params: IdParam, body: jsonBody(ContactInput) },
  responses: jsonResponse(ContactState, 'Saved'),
});

/** The "leave your email" form of one of the caller's own conversations; anyone else's answers 404. */
export function registerConversationContact(app: App): void {
  app.openapi(show, async (c) => {
    const state = await contactState(c.get('services').db, c.get('identity'), c.req.valid('param').id);
    if (!state) throw notFound('Conversation');
    return c.json(state, 200);
  });

  app.openapi(
    save,
    async (c) => {
      const { email } = c.req.valid('json');
      const state = await saveContactEmail(
        c.get('services').db,
        c.get('identity'),
        c.req.valid('param').id,
        email,
      );
      if (!state) throw notFound('Conversation');
      return c.json(state, 200);
    },
    // The chat page shows this to the customer as it is: the sentence alone, without the field it is about.
    (result) => {
      if (!result.success)
        throw new ApiError(
          'invalid_request',
          result.error.issues[0]?.message ?? 'Enter a valid email address.',
        );
    },
  );
}
