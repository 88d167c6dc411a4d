import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createAgentDeps } from '../agent/setup.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Embedder } from '../knowledge/embed/embedder.ts';
import { recordError } from '../ops/error-tracking.ts';
import { ingestSettings } from '../knowledge/ingest.ts';
import { prepareSpelling } from '../knowledge/spelling.ts';
import { createLogger, type Logger } from '../ops/log.ts';
import { configuredSecrets, createRedactor } from '../ops/redact.ts';
import { openEventBus } from '../support/events/index.ts';
import type { NotifyHandoff } from '../support/handoff-notifications.ts';
import { notifyConversationEvent } from '../support/notifications/index.ts';
import { type App, createApp } from './app.ts';
import type { Services } from './app-env.ts';

export const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface RunningServer {
  app: App;
  services: Services;
  url: string;
  port: number;
  /** Stops taking requests, lets in-flight answers finish (up to `graceMs`), then closes the listener. */
  close(graceMs?: number): Promise<void>;
}

/** Builds the services for a database and configuration (the agent, logger and settings). */
export async function createServices(
  config: Config,
  database: Database,
  embedder: Embedder,
  log?: Logger,
): Promise<Services> {
  const redact = createRedactor(configuredSecrets(config));
  log ??= createLogger(config.logLevel, undefined, {}, redact);
  const events = openEventBus(database);
  // Reads `services.queue` when called: the CLI attaches the queue after the services are built.
  const notify: NotifyHandoff = (event) =>
    notifyConversationEvent(
      {
        db: database.db,
        queue: services.queue,
        config: config.server,
        isWatched: (conversationId) => events.isWatchedHere(conversationId),
        log: (line) => log.warn('notification failed', { line }),
      },
      event,
    );
  const services: Services = {
    db: database.db,
    embedder,
    agent: { ...(await createAgentDeps(config, database.db, embedder)), notify },
    config: config.server,
    ingest: ingestSettings(config),
    log,
    version: packageVersion(),
    backend: database.backend,
    inflight: new Set(),
    onError: (error, requestId) =>
      void recordError(database.db, error, { source: 'request', requestId, redact }),
    events,
    notify,
  };
  return services;
}

/** Serves the app on `port` (0 picks a free one). */
export async function startServer(
  services: Services,
  options: { port: number; host: string; webDir?: string | undefined },
): Promise<RunningServer> {
  const webDir = options.webDir ?? (fs.existsSync(defaultWebDir) ? defaultWebDir : undefined);
  const app = createApp(services, { webDir });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  // Read now rather than when the first customer asks: on a large knowledge base it takes seconds.
  void prepareSpelling(services.db).catch((reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    services.log.error('spelling vocabulary not read', { error: error.message });
    void recordError(services.db, error, { source: 'process', context: { task: 'prepare spelling' } });
  });
  const shown = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    app,
    services,
    port,
    url: `http://${shown}:${port}`,
    async close(graceMs = 30_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live event streams never finish by themselves: closing the bus ends them, so they hold nothing up.
      await services.events.close();
      // Idle keep-alive sockets would hold close() open; active streams finish first.
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      const pending = [...services.inflight];
      if (pending.length > 0) {
        services.log.info('waiting for answers in progress', { count: pending.length });
        await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, graceMs))]);
      }
      const forced = setTimeout(
        () => (server as { closeAllConnections?: () => void }).closeAllConnections?.(),
        Math.min(graceMs, 5000),
      );
      await closed;
      clearTimeout(forced);
    },
  };
}
