import { type Database } from '../../db/client.ts';
import { type EventBus } from './bus.ts';
import { MemoryEventBus } from './memory.ts';
import { pgliteEventSource } from './pglite.ts';
import { postgresEventSource } from './postgres.ts';

export {
  type ConversationEvent,
  type EventBus,
  publishConversationEvent,
  type SubscribeOptions,
  type Subscription,
  type Watcher,
} from './bus.ts';
export { MemoryEventBus } from './memory.ts';

/**
 * The event bus of a process on `database`: LISTEN on its own connection to a Postgres server (so events from
 * other replicas, workers and the CLI arrive), or PGlite's in-process notifications on the embedded database.
 */
export function openEventBus(database: Pick<Database, 'backend' | 'url' | 'pglite'>): EventBus {
  if (database.backend === 'postgres' && database.url) {
    return new MemoryEventBus(postgresEventSource(database.url));
  }
  if (database.pglite) return new MemoryEventBus(pgliteEventSource(database.pglite));
  return new MemoryEventBus();
}
