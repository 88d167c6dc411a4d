import { useEffect, useRef } from 'react';
import type { InboxEvent } from './inbox-api.ts';

/**
 * Calls `onChange` (at most every `settleMs`) when conversations change on any server, from the staff event
 * stream (`/api/admin/inbox/events`, authorised by the console's session cookie). Only the conversation given
 * counts, when one is. `EventSource` reconnects by itself after a drop; the page reloads once it does, in case
 * it missed something meanwhile.
 */
export function useInboxEvents(
  onChange: (event: InboxEvent | undefined) => void,
  options: { conversationId?: string; settleMs?: number } = {},
): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  const { conversationId, settleMs = 250 } = options;

  useEffect(() => {
    const source = new EventSource('/api/admin/inbox/events');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: InboxEvent | undefined;
    let opened = false;
    const schedule = (event: InboxEvent | undefined) => {
      last = event;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        callback.current(last);
      }, settleMs);
    };
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as InboxEvent;
      if (!conversationId || event.conversationId === conversationId) schedule(event);
    };
    for (const kind of ['message', 'conversation', 'note']) source.addEventListener(kind, onEvent);
    source.addEventListener('ready', () => {
      if (opened) schedule(undefined);
      opened = true;
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [conversationId, settleMs]);
}
