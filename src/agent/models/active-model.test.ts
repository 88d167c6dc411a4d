import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../../../test/support/fake-openai.ts';
import {
  chatBody,
  createTestServer,
  json,
  readUIStream,
  type TestServer,
} from '../../../test/support/server-fixture.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { finetuneJobs, messages } from '../../db/schema/index.ts';
import { LocalEmbedder } from '../../knowledge/embed/index.ts';
import { silentLogger } from '../../ops/log.ts';
import { type App, createApp } from '../../server/app.ts';
import { createServices } from '../../server/serve.ts';

const tuned = 'ft:gpt-4.1-mini:acme::support';

// A promoted fine-tune is used by servers that are already running: the one staff promoted it on at once, and
// its replicas on the same database once their short cache of the setting expires.
describe.each(backends)('promoting a fine-tuned model on a running server (%s)', (backend) => {
  let fake: FakeOpenAI;
  let t: TestServer;
  // Another replica: its own services (and, on the Postgres server, its own connections) on the same database.
  let replica: { app: App; database?: Database };

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL };
    t = await createTestServer(backend, env);
    const database =
      backend === 'postgres'
        ? await openDatabase({ databaseUrl: t.database.url!, dataDir: '', poolSize: 2 })
        : undefined;
    const services = await createServices(
      t.config,
      database ?? t.database,
      new LocalEmbedder(),
      silentLogger,
    );
    replica = { app: createApp(services), database };
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await replica?.database?.close();
    await t?.destroy();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  /** Asks one question on `app`; returns the model the fake was asked and the model the answer names. */
  async function ask(app: App): Promise<{ requested: string; answeredBy: unknown; stored: string | null }> {
    fake.scriptChat([{ text: 'Refunds reach your card within 5 business days.' }]);
    const chunks = await readUIStream(
      await app.request('/api/chat', {
        method: 'POST',
        headers: json,
        body: chatBody('How long do refunds take?'),
      }),
    );
    const finish = chunks.find((c) => c.type === 'finish')?.messageMetadata as { model?: string } | undefined;
    const [answer] = await t.database.db
      .select({ model: messages.model })
      .from(messages)
      .where(eq(messages.role, 'assistant'))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    return { requested: fake.chatRequests().at(-1)!.model, answeredBy: finish?.model, stored: answer!.model };
  }

  const runtimeModel = async () =>
    (
      (await (await t.app.request('/api/admin/settings', { headers: t.staff })).json()) as {
        runtime: { model: string };
      }
    ).runtime.model;

  it('answers with the promoted model from the next turn, here at once and on a replica within seconds', async () => {
    expect(await ask(t.app)).toEqual({
      requested: 'gpt-4.1-mini',
      answeredBy: 'openai:gpt-4.1-mini',
      stored: 'openai:gpt-4.1-mini',
    });
    expect((await ask(replica.app)).requested).toBe('gpt-4.1-mini');

    const [job] = await t.database.db
      .insert(finetuneJobs)
      .values({
        providerJobId: 'ftjob-live',
        baseModel: 'gpt-4.1-mini',
        status: 'succeeded',
        resultingModel: tuned,
      })
      .returning();
    const promoted = await t.app.request(`/api/admin/finetune/${job!.id}/promote`, {
      method: 'POST',
      headers: { ...json, ...t.staff },
      body: '{"force":true}',
    });
    expect(promoted.status).toBe(200);

    // The server that promoted it: the next answer, and what the console shows.
    expect(await ask(t.app)).toEqual({
      requested: tuned,
      answeredBy: `openai:${tuned}`,
      stored: `openai:${tuned}`,
    });
    expect(await runtimeModel()).toBe(`openai:${tuned}`);

    // A replica reads the setting again once its cache expires: move its clock past that instead of waiting.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => now + 60_000);
    expect(await ask(replica.app)).toMatchObject({ requested: tuned, answeredBy: `openai:${tuned}` });
    vi.restoreAllMocks();
  });
});
