import { eventChannel, parseConversationEvent } from './bus.ts';
import { type EventSource, type NotificationListener } from './memory.ts';

/**
 * Events on the embedded database: PGlite runs in this process and delivers its own NOTIFYs to its listeners,
 * so publishing stays the same SQL on both backends (and stays tied to the writing transaction's commit).
 */
export function pgliteEventSource(pglite: NotificationListener): EventSource {
  return async (deliver) =>
    pglite.listen(eventChannel, (payload) => {
      const event = parseConversationEvent(payload);
      if (event) deliver(event);
    });
}
