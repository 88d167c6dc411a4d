import type { AgentDeps } from '../agent/agent.ts';
import type { ServerConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Embedder } from '../knowledge/embed/embedder.ts';
import type { IngestSettings } from '../knowledge/ingest.ts';
import type { Logger } from '../ops/log.ts';
import type { EventBus } from '../support/events/index.ts';
import type { NotifyHandoff } from '../support/handoff-notifications.ts';
import type { Identity } from '../support/identity.ts';

/** Everything a request handler may use; tests build their own. */
export interface Services {
  db: Db;
  embedder: Embedder;
  agent: AgentDeps;
  config: ServerConfig;
  ingest: IngestSettings;
  log: Logger;
  version: string;
  /** Which database backs the server, for /readyz and the console. */
  backend: 'pglite' | 'postgres';
  /** Called with every unexpected error (error tracking). */
  onError?: (error: Error, requestId: string) => void;
  /** Streams still being written; shutdown waits for them. */
  inflight: Set<Promise<unknown>>;
  /** Enqueues background jobs (Q&A generation); without it such work runs in the request. */
  queue?: JobQueue;
  /** Conversation events from every process on the database, for the live streams of customers and staff. */
  events: EventBus;
  /** Tells staff and customers outside the app about hand-offs (webhooks, email); nothing when absent. */
  notify?: NotifyHandoff;
}

/** A member of staff, signed in with an API token or a console session. */
export interface Staff {
  tokenId: string | null;
  name: string;
}

export type AppEnv = {
  Variables: {
    services: Services;
    requestId: string;
    identity: Identity;
    staff: Staff;
  };
};
