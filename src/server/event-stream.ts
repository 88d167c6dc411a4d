import type { Context } from 'hono';
import { type SSEMessage, streamSSE } from 'hono/streaming';
import type { ConversationEvent, EventBus, Watcher } from '../support/events/index.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';

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

/** Live streams one caller (a visitor, a customer, a staff token) may hold open at once: a few tabs, not a flood. */
export const maxStreamsPerCaller = 8;

// Open streams per caller, per app (its event bus), so two apps in one process count apart.
const openStreams = new WeakMap<EventBus, Map<string, number>>();

/** Who holds a stream, for the limit: the staff token, or the customer or visitor the request is for. */
function callerOf(c: Context<AppEnv>, watcher: Watcher): string {
  if (watcher === 'staff') {
    const staff = c.get('staff');
    return `staff:${staff.tokenId ?? staff.name}`;
  }
  const identity = c.get('identity');
  return identity.kind === 'customer' ? `customer:${identity.customerId}` : `visitor:${identity.visitorId}`;
}

/** Counts a stream against its caller's limit, or refuses it; the returned function gives the place back. */
function holdStreamPlace(c: Context<AppEnv>, live: LiveStream): () => void {
  const counts = openStreams.get(live.events) ?? new Map<string, number>();
  openStreams.set(live.events, counts);
  const caller = callerOf(c, live.watcher);
  const open = counts.get(caller) ?? 0;
  if (open >= maxStreamsPerCaller) {
    throw new ApiError(
      'rate_limited',
      `Too many live streams open (at most ${maxStreamsPerCaller} at once); close one and try again.`,
    );
  }
  counts.set(caller, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (counts.get(caller) ?? 1) - 1;
    if (left > 0) counts.set(caller, left);
    else counts.delete(caller);
  };
}

/**
 * A server-sent event stream of conversation events. Events are rendered one at a time in order; the stream
 * ends when the client goes away or the bus closes (server shutdown), and its subscription is dropped then.
 * It is not an answer in progress: shutdown does not wait for it. A caller holding `maxStreamsPerCaller`
 * streams already gets 429 instead.
 */
export function streamConversationEvents(c: Context<AppEnv>, live: LiveStream): Response {
  const release = holdStreamPlace(c, live);
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
      release();
      subscription.unsubscribe();
      await live.onPresence?.(false).catch(() => {});
    }
  });
}
