import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listErrors } from '../ops/error-tracking.ts';
import { backends } from '../../test/support/databases.ts';
import { createTestServer, type TestServer } from '../../test/support/server-fixture.ts';
import { type RunningServer, startServer } from './serve.ts';

// Reading the spelling vocabulary at start-up runs in the background: a failure there is recorded and logged
// like the server's other background errors, not dropped.
describe.each(backends)('a spelling vocabulary that cannot be read (%s)', (backend) => {
  let t: TestServer;
  let server: RunningServer | undefined;
  const logged: string[] = [];
  beforeAll(async () => {
    t = await createTestServer(backend);
    // The vocabulary is read from the documents and chunks tables: without them the read fails.
    await t.database.db.execute(sql`ALTER TABLE documents RENAME TO documents_gone`);
  });
  afterAll(async () => {
    await server?.close(1000);
    await t.database.db.execute(sql`ALTER TABLE documents_gone RENAME TO documents`);
    await t.destroy();
  });

  it('is recorded in error tracking and logged once', async () => {
    const log = {
      ...t.services.log,
      error: (message: string) => void logged.push(message),
    };
    server = await startServer({ ...t.services, log }, { port: 0, host: '127.0.0.1' });
    let tracked = await listErrors(t.database.db);
    for (let i = 0; i < 50 && tracked.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tracked = await listErrors(t.database.db);
    }
    expect(tracked).toHaveLength(1);
    expect(tracked[0]!.message).toMatch(/documents/);
    expect(tracked[0]!.context).toMatchObject({ source: 'process', task: 'prepare spelling' });
    expect(logged).toEqual(['spelling vocabulary not read']);
  });
});
