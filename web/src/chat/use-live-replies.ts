import { useEffect, useState } from 'react';
import type { ParleyUIMessage } from '../../../src/contracts/chat.ts';
import type { ChatApi } from './api.ts';
import { useConversationEvents } from './use-conversation-events.ts';

/** The conversation the messages belong to, as the server named it in the answers' metadata. */
const conversationOf = (messages: ParleyUIMessage[]) =>
  messages.findLast((m) => m.metadata?.conversationId)?.metadata?.conversationId;

/**
 * Adds staff replies and hand-off notices to the chat as they are sent. One arriving while an answer streams
 * waits for it to end, so it is not written into the message being streamed.
 */
export function useLiveReplies(
  api: ChatApi,
  messages: ParleyUIMessage[],
  setMessages: (update: (messages: ParleyUIMessage[]) => ParleyUIMessage[]) => void,
  busy: boolean,
): void {
  const [pending, setPending] = useState<ParleyUIMessage[]>([]);
  useConversationEvents(api, conversationOf(messages), (message) => setPending((p) => [...p, message]));
  useEffect(() => {
    if (busy || pending.length === 0) return;
    setMessages((shown) => {
      const known = new Set(shown.map((m) => m.id));
      return [...shown, ...pending.filter((m) => !known.has(m.id))];
    });
    setPending([]);
  }, [busy, pending, setMessages]);
}
