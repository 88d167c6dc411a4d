import type { Context, MiddlewareHandler } from 'hono';
import type { TurnInput } from '../../../agent/agent.ts';
import { type CompletionMessage, type CompletionRequest, modelName } from '../../../contracts/completions.ts';
import { targetConversation } from '../../../support/conversations.ts';
import { findCustomerByExternalId } from '../../../support/customers.ts';
import type { Identity } from '../../../support/identity.ts';
import { resolveIdentity } from '../../auth.ts';
import type { AppEnv } from '../../app-env.ts';
import { ApiError } from '../../errors.ts';
import { bearerToken, looksLikeStaffToken, type StaffAuth } from '../../staff-auth.ts';

function messageText(content: CompletionMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((p) => (p.type === 'text' && p.text ? [p.text] : [])).join('\n');
}

/** The question a completion request asks: its last user message. Only Parley's one model is served. */
export function questionOf(body: CompletionRequest): string {
  if (body.model !== modelName) {
    throw new ApiError('model_not_found', `This server serves one model, "${modelName}".`);
  }
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!last) throw new ApiError('invalid_request', 'There is no user message.');
  return messageText(last.content);
}

/** The `user` field of a completion request body, read before validation (which reports other problems). */
async function requestedUser(c: Context<AppEnv>): Promise<string | undefined> {
  const body: unknown = await c.req.json().catch(() => undefined);
  const user = (body as { user?: unknown } | undefined)?.user;
  return typeof user === 'string' && user ? user : undefined;
}

/**
 * The caller of the OpenAI-compatible API. A staff token may act for a customer named in `user` (a server-side
 * integration that has already authenticated its user); a key shaped like a JWT must be a valid customer JWT
 * (that customer); anything else is an anonymous visitor, so an OpenAI client with any key works for public
 * questions.
 */
export async function completionIdentity(c: Context<AppEnv>, staffAuth: StaffAuth): Promise<Identity> {
  const { db, config } = c.get('services');
  const token = bearerToken(c);
  if (token && looksLikeStaffToken(config.adminToken, token)) {
    const staff = await staffAuth.verify(c, token);
    if (!staff) throw new ApiError('unauthorized', 'The staff token is not valid.');
    const user = await requestedUser(c);
    if (user) {
      const customer = await findCustomerByExternalId(db, user);
      if (!customer) throw new ApiError('customer_not_found', 'No customer has that external id.');
      return {
        kind: 'customer',
        customerId: customer.id,
        externalId: customer.externalId,
        name: customer.name,
      };
    }
    return resolveIdentity(c, undefined);
  }
  return resolveIdentity(c, token?.includes('.') ? token : undefined);
}

/**
 * Sets the identity of a `/v1/chat/completions` caller before the per-customer rate limit, which needs it.
 */
export function identifyCompletionCaller(staffAuth: StaffAuth): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('identity', await completionIdentity(c, staffAuth));
    await next();
  };
}

/** The agent turn a completion request asks for; `conversation_id` may only continue the caller's own. */
export async function completionTurn(c: Context<AppEnv>, body: CompletionRequest): Promise<TurnInput> {
  const message = questionOf(body);
  const identity = c.get('identity');
  const target = await targetConversation(c.get('services').db, identity, body.conversation_id);
  if (body.conversation_id && target.kind !== 'own') {
    throw new ApiError('conversation_not_found', 'No such conversation.');
  }
  const conversation = target.kind === 'own' ? { conversationId: target.conversationId } : {};
  return { identity, message, channel: 'api', ...conversation };
}
