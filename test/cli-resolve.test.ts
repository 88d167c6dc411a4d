import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { conversations } from '../src/db/schema/index.ts';
import { type JobQueue, openQueue } from '../src/jobs/queue.ts';
import { waitFor } from '../src/jobs/wait.fixture.ts';
import { startWorker } from '../src/jobs/worker.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { appendMessage, startConversation } from '../src/support/conversations.ts';
import { assignConversation } from '../src/support/inbox.ts';
import { verifyWebhookSignature, type WebhookPayload } from '../src/support/notifications/index.ts';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts';
import { testIngestSettings } from './support/files.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/parley.js');
const secret = 'whsec-cli-0123456789abcdef';

/** A webhook receiver on loopback that keeps what it is sent. */
async function startReceiver() {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/parley`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The database the command and the test share: a data directory (PGlite is one process at a time, so the test
 * opens it only while the command is not running) or a throwaway database on the Postgres server.
 */
async function sharedDatabase(backend: (typeof backends)[number]) {
  if (backend === 'postgres') {
    const database: TestDatabase = await createTestDatabase('postgres');
    return {
      env: { DATABASE_URL: database.url! },
      open: async (): Promise<Database> => ({ ...database, close: async () => {} }),
      destroy: () => database.destroy(),
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-resolve-'));
  return {
    env: { PARLEY_DATA_DIR: dataDir },
    open: async (): Promise<Database> => {
      const database = await openDatabase({ dataDir });
      await migrate(database.db);
      return database;
    },
    destroy: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

describe.each(backends)('parley conversations resolve on %s', (backend) => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let worker: { database: Database; queue: JobQueue } | undefined;
  const env = () => ({ ...shared.env, PARLEY_WEBHOOK_URL: receiver.url, PARLEY_WEBHOOK_SECRET: secret });

  beforeAll(async () => {
    shared = await sharedDatabase(backend);
    receiver = await startReceiver();
  }, 60_000);
  afterAll(async () => {
    await worker?.queue.close();
    await worker?.database.close();
    await receiver?.close();
    await shared?.destroy();
  });

  /** A visitor's conversation that escalated, held by a member of staff. */
  async function heldConversation(): Promise<string> {
    const database = await shared.open();
    try {
      const { db } = database;
      const { id } = await startConversation(db, { kind: 'visitor', visitorId: 'v_cli_resolve' }, 'web');
      await appendMessage(db, {
        conversationId: id,
        role: 'user',
        content: 'My charger sparks when plugged in',
      });
      await assignConversation(db, id, { name: 'alex', tokenId: null });
      return id;
    } finally {
      await database.close();
    }
  }

  async function parley(args: string[]) {
    const environment = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'OPENAI_API_KEY'].includes(k)),
    );
    return run(process.execPath, [bin, ...args], { env: { ...environment, ...env() } });
  }

  /** A worker on the shared database, as `parley serve` or `parley worker` runs one. */
  async function startDeliveryWorker() {
    const database = await shared.open();
    const queue = await openQueue(database, { role: 'worker' });
    worker = { database, queue };
    await startWorker(
      {
        db: database.db,
        embedder: new LocalEmbedder(),
        queue,
        settings: testIngestSettings,
        log: () => {},
        config: loadConfig({}, { PARLEY_DATA_DIR: '/tmp/parley-cli-resolve-worker', ...env() }),
      },
      { concurrency: 1, pollingIntervalSeconds: 0.5 },
    );
    return database;
  }

  it('announces the resolution as the console does: a signed conversation.resolved webhook', async () => {
    const id = await heldConversation();
    const { stdout } = await parley(['conversations', 'resolve', id, '--note', 'Replaced the charger']);
    expect(stdout).toMatch(/^Resolved\. Suggested solution/);

    const database = await startDeliveryWorker();
    await waitFor(async () => receiver.received.length > 0, 30_000);
    const [delivery] = receiver.received;
    expect(delivery!.headers['x-parley-event']).toBe('conversation.resolved');
    expect(
      verifyWebhookSignature(secret, delivery!.body, delivery!.headers['x-parley-signature'] as string),
    ).toBe(true);
    expect(JSON.parse(delivery!.body) as WebhookPayload).toMatchObject({
      type: 'conversation.resolved',
      conversation: { id, status: 'resolved' },
    });
    const [row] = await database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ status: 'resolved', assigneeName: null });
  }, 120_000);
});
