import postgres from 'postgres';
import { eventChannel, parseConversationEvent } from './bus.ts';
import { type EventSource } from './memory.ts';

/**
 * Events from a Postgres server: one dedicated connection per process runs LISTEN (postgres.js reconnects it
 * and listens again after a drop). It must be a direct or session connection: a transaction pooler (Supabase
 * port 6543) does not deliver notifications.
 */
export function postgresEventSource(url: string): EventSource {
  return async (deliver) => {
    const sql = postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
    try {
      await sql.listen(eventChannel, (payload) => {
        const event = parseConversationEvent(payload);
        if (event) deliver(event);
      });
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return () => sql.end({ timeout: 2 });
  };
}
