import type { TextStreamPart, ToolSet } from 'ai';
import { CitationNumbering, passageRefsOf } from '../support/citation-markers.ts';
import type { ConversationTarget } from '../support/conversations.ts';
import type { Identity } from '../support/identity.ts';

// What the two chat APIs (`/api/chat` and `/v1/chat/completions`) share around a turn of the agent.

/**
 * The conversation a `/api/chat` turn goes to: one the caller owns continues; an unused UUID starts a new
 * conversation under that id (`useChat` ids are chosen by the browser). Someone else's id starts a new
 * conversation under a new id, exactly as if no id had been sent: the answer is the same 200 whether the id is
 * taken or not, and nothing of the other conversation is reached.
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
    case 'foreign':
      return {};
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

type Part = TextStreamPart<ToolSet>;

/**
 * The model's stream with its citation markers renumbered as they pass ([S3] → [1]); `numbering.order` then
 * lists the turn's citations in the same order. A marker counts once a tool result has shown its passage.
 */
export function withNumberedCitations(stream: ReadableStream<Part>): {
  stream: ReadableStream<Part>;
  numbering: CitationNumbering;
} {
  let retrieved = 0;
  const numbering = new CitationNumbering((ref) => ref <= retrieved);
  let lastTextId = 'text';
  const held = (id: string): Part[] => {
    const rest = numbering.flush();
    return rest ? [{ type: 'text-delta', id, text: rest }] : [];
  };
  const renumber = new TransformStream<Part, Part>({
    transform(part, controller) {
      if (part.type === 'tool-result') retrieved = Math.max(retrieved, ...passageRefsOf(part.output));
      if (part.type === 'text-delta') {
        lastTextId = part.id;
        const text = numbering.push(part.text);
        if (text) controller.enqueue({ ...part, text });
        return;
      }
      if (part.type === 'text-end') for (const p of held(part.id)) controller.enqueue(p);
      controller.enqueue(part);
    },
    flush(controller) {
      for (const p of held(lastTextId)) controller.enqueue(p);
    },
  });
  return { stream: stream.pipeThrough(renumber), numbering };
}
