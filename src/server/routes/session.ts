import { createRoute } from '@hono/zod-openapi';
import { CustomerSession, LinkVisitorInput, LinkVisitorResult } from '../../contracts/customer-session.ts';
import { linkVisitorToCustomer } from '../../support/conversations.ts';
import type { App } from '../app.ts';
import { identitySecrets } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { verifyVisitorToken } from '../identity-tokens.ts';
import { jsonBody, jsonResponse } from './openapi-io.ts';

const tags = ['Chat'];

const show = createRoute({
  method: 'get',
  path: '/api/session',
  tags,
  summary:
    'Who the caller is: a signed-in customer, or an anonymous visitor (a new one is issued if none is sent)',
  description:
    'A caller that sends no identity is given a new visitor id in `x-parley-visitor`, and the token proving it ' +
    'was issued to this caller in `x-parley-visitor-token` (keep both; the token is needed to link).',
  responses: jsonResponse(CustomerSession, 'The session'),
});

const link = createRoute({
  method: 'post',
  path: '/api/session/link',
  tags,
  summary: 'A signed-in customer takes over the conversations this browser had as an anonymous visitor',
  description:
    'Send the customer identity (signature or JWT) with the visitor id and the visitor token the server ' +
    'issued with it. Conversations move only with that proof, and only through this call.',
  request: { body: jsonBody(LinkVisitorInput) },
  responses: jsonResponse(LinkVisitorResult, 'Linked'),
});

/** `GET /api/session` and `POST /api/session/link`: the chat page's identity and its explicit sign-in step. */
export function registerSession(app: App): void {
  app.openapi(show, (c) => {
    const identity = c.get('identity');
    const session: CustomerSession =
      identity.kind === 'customer'
        ? { kind: 'customer', externalId: identity.externalId, name: identity.name }
        : { kind: 'visitor', visitorId: identity.visitorId };
    return c.json(session, 200);
  });

  app.openapi(link, async (c) => {
    const { db, config } = c.get('services');
    const identity = c.get('identity');
    if (identity.kind !== 'customer') {
      throw new ApiError('unauthorized', 'Sign in as a customer to take over visitor conversations.');
    }
    const { visitorId, visitorToken } = c.req.valid('json');
    if (!verifyVisitorToken(identitySecrets(config), visitorId, visitorToken)) {
      throw new ApiError('forbidden', 'The visitor token does not prove this visitor id.');
    }
    const linked = await linkVisitorToCustomer(db, visitorId, identity.customerId);
    return c.json({ linked, externalId: identity.externalId, name: identity.name }, 200);
  });
}
