import type { Context } from 'hono';
import { type SSEMessage, streamSSE } from 'hono/streaming';
import type { ConversationEvent, EventBus, Watcher } from '../support/events/index.ts';
import type { AppEnv } from './app-env.ts';

/** How often an idle stream sends a comment-like ping, so proxies keep it open and the watcher stays seen. */
export const heartbeatMs = 25_000;

export interface LiveStream {
  events: EventBus;
  watcher: Watcher;
  /** One conversation's events, or every conversation's (the staff inbox). */
  conversationId?: string;
  /** The first message, sent once the subscription is live: a client that sees it misses nothing after. */
  opening: () => Promise<SSEMessage>;
  /** What an event becomes on this stream; undefined to send nothing (what this watcher may not see). */
  render: (event: ConversationEvent) => Promise<SSEMessage | undefined>;
  /** Called when the stream opens, on every heartbeat, and once when it ends (`open` false). */
  onPresence?: (open: boolean) => Promise<void>;
}

/**
 * A server-sent event stream of conversation events. Events are rendered one at a time in order; the stream
 * ends when the client goes away or the bus closes (server shutdown), and its subscription is dropped then.
 * It is not an answer in progress: shutdown does not wait for it.
 */
export function streamConversationEvents(c: Context<AppEnv>, live: LiveStream): Response {
  return streamSSE(c, async (stream) => {
    const pending: ConversationEvent[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const nudge = () => wake?.();
    const end = () => {
      ended = true;
      nudge();
    };
    const subscription = live.events.subscribe({
      watcher: live.watcher,
      ...(live.conversationId ? { conversationId: live.conversationId } : {}),
      onEvent: (event) => {
        pending.push(event);
        nudge();
      },
      onClose: end,
    });
    stream.onAbort(end);
    try {
      await subscription.ready;
      await live.onPresence?.(true);
      await stream.writeSSE(await live.opening());
      let lastWrite = Date.now();
      while (!ended && !stream.aborted) {
        if (pending.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(0, heartbeatMs - (Date.now() - lastWrite)));
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        const event = pending.shift();
        // A failed read (a deleted row, a lost connection) skips that event rather than ending the stream.
        const message = event ? await live.render(event).catch(() => undefined) : undefined;
        if (message) {
          await stream.writeSSE(message);
          lastWrite = Date.now();
        } else if (!event && Date.now() - lastWrite >= heartbeatMs) {
          await stream.writeSSE({ event: 'ping', data: '{}' });
          await live.onPresence?.(true).catch(() => {});
          lastWrite = Date.now();
        }
      }
    } finally {
      subscription.unsubscribe();
      await live.onPresence?.(false).catch(() => {});
    }
  });
}
