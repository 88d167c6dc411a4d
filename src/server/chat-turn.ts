import type { ConversationTarget } from '../support/conversations.ts';
import type { Identity } from '../support/identity.ts';
import { ApiError } from './errors.ts';

// What the two chat APIs (`/api/chat` and `/v1/chat/completions`) share around a turn of the agent.

/**
 * The conversation a `/api/chat` turn goes to: one the caller owns continues; an unused UUID starts a new
 * conversation under that id; someone else's is refused exactly like a missing one.
 */
export function chatTurnTarget(target: ConversationTarget): {
  conversationId?: string;
  newConversationId?: string;
} {
  switch (target.kind) {
    case 'own':
      return { conversationId: target.conversationId };
    case 'unused':
      return { newConversationId: target.id };
    case 'fresh':
      return {};
    case 'foreign':
      throw new ApiError('conversation_not_found', 'No such conversation.');
  }
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
