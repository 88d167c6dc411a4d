import { type ConversationEvent, type EventBus, type SubscribeOptions, type Subscription } from './bus.ts';

/** Starts delivering events from the database; resolves to a function that stops it. */
export type EventSource = (deliver: (event: ConversationEvent) => void) => Promise<() => Promise<void>>;

/**
 * The in-process side of the bus: subscribers of this process, filtered by conversation. Events reach it from
 * `source` (PGlite's own notifications, or a Postgres LISTEN connection), started on the first subscription so
 * that processes nobody watches (CLI, tests) open no connection. Without a source it only carries what is
 * passed to `deliver`.
 */
export class MemoryEventBus implements EventBus {
  private readonly subscribers = new Set<SubscribeOptions>();
  private started: Promise<() => Promise<void>> | undefined;
  private closed = false;

  constructor(private readonly source?: EventSource) {}

  subscribe(options: SubscribeOptions): Subscription {
    if (this.closed) {
      queueMicrotask(options.onClose);
      return { ready: Promise.resolve(), unsubscribe: () => {} };
    }
    this.subscribers.add(options);
    const ready = this.start().then(() => undefined);
    // A failed start is reported through `ready`; keep it from being an unhandled rejection meanwhile.
    ready.catch(() => {});
    return { ready, unsubscribe: () => this.subscribers.delete(options) };
  }

  /** Hands an event to the subscribers that want it; one failing subscriber does not stop the others. */
  deliver(event: ConversationEvent): void {
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.conversationId && subscriber.conversationId !== event.conversationId) continue;
      try {
        subscriber.onEvent(event);
      } catch {
        // A subscriber's own failure (a closed stream) must not reach the database listener.
      }
    }
  }

  isWatchedHere(conversationId: string): boolean {
    for (const s of this.subscribers) {
      if (s.watcher === 'customer' && s.conversationId === conversationId) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subscribers) s.onClose();
    const started = this.started;
    this.started = undefined;
    if (started) await started.then((stop) => stop()).catch(() => {});
  }

  private start(): Promise<() => Promise<void>> {
    if (!this.started) {
      const source = this.source ?? (async () => async () => {});
      this.started = source((event) => this.deliver(event));
      // A failed start may be retried by the next subscriber.
      this.started.catch(() => {
        this.started = undefined;
      });
    }
    return this.started;
  }
}

/** The part of a PGlite instance the bus uses: its LISTEN, which delivers NOTIFYs of the same instance. */
export interface NotificationListener {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}
