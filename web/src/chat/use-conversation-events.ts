import { useEffect, useRef } from 'react';
import type { MessageView, ParleyUIMessage } from '../../../src/contracts/chat.ts';
import type { ChatApi } from './api.ts';
import { uiMessageOf } from './live-messages.ts';

/** One server-sent event: its name and data. */
interface ServerEvent {
  event: string;
  data: string;
}

/** Splits a server-sent event stream into events as its bytes arrive. */
async function* serverEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          lines
            .filter((l) => l.startsWith(`${name}:`))
            .map((l) => l.slice(name.length + 1).replace(/^ /, ''))
            .join('\n');
        yield { event: field('event') || 'message', data: field('data') };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Follows a conversation live (`GET /api/conversations/{id}/events`): staff replies and hand-off notices
 * ("Alex joined") reach `onMessage` as they are sent. The request carries the page's identity headers, which
 * an `EventSource` cannot, so the stream is read with `fetch`; a dropped stream reconnects with back-off.
 */
export function useConversationEvents(
  api: ChatApi,
  conversationId: string | undefined,
  onMessage: (message: ParleyUIMessage) => void,
): void {
  const deliver = useRef(onMessage);
  deliver.current = onMessage;

  useEffect(() => {
    if (!conversationId) return;
    const stop = new AbortController();
    void (async () => {
      let delay = 1000;
      while (!stop.signal.aborted) {
        try {
          const response = await api.fetch(`/api/conversations/${conversationId}/events`, {
            headers: { accept: 'text/event-stream' },
            signal: stop.signal,
          });
          if (response.ok && response.body) {
            for await (const e of serverEvents(response.body)) {
              delay = 1000;
              if (e.event !== 'message') continue;
              const message = JSON.parse(e.data) as MessageView;
              // The customer's own messages and the agent's answers arrive with the chat's own stream.
              if (message.role === 'staff' || message.role === 'system') {
                deliver.current(uiMessageOf(message, conversationId));
              }
            }
          }
        } catch {
          // A dropped connection or an aborted request: try again below unless stopped.
        }
        await wait(delay, stop.signal);
        delay = Math.min(delay * 2, 30_000);
      }
    })();
    return () => stop.abort();
  }, [api, conversationId]);
}
