import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDocs, seedAgentData } from '../../test/support/agent-fixture.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { type ChatRequestBody, type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts';
import { readActiveChatModel } from '../agent/models/active-model.ts';
import { createAgentDeps } from '../agent/setup.ts';
import { type Config, loadConfig } from '../config.ts';
import { queryRows } from '../db/client.ts';
import { conversations, type FinetuneJob, qaPairs } from '../db/schema/index.ts';
import { runJob } from '../jobs/worker.ts';
import { type JobQueue, openQueue } from '../jobs/queue.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { buildFinetuneDataset, estimateDataset } from './finetune-export.ts';
import {
  advanceFinetune,
  type AdvanceDeps,
  createFinetuneClient,
  findFinetuneJob,
  startFinetune,
} from './finetune-jobs.ts';
import { promoteFinetune } from './finetune-promote.ts';
import { baseModelInfo } from './finetune-models.ts';

const base = 'gpt-4.1-mini-2025-04-14';

const testPairs = [
  { question: 'How long do refunds take?', answer: 'Refunds reach your card within 5 business days.' },
  {
    question: 'How do I pair my earbuds?',
    answer: 'Hold the case button for three seconds until it pulses white.',
  },
  {
    question: 'How long is the return window?',
    answer: 'You can return any product within 30 days of delivery.',
  },
];

/** The fake model: a fine-tuned model (`ft:` and named good) answers with the reference; any other one vaguely. */
function referenceAnswerer(goodModel: (model: string) => boolean) {
  return (body: ChatRequestBody) => {
    const last = [...body.messages].reverse().find((m) => m.role === 'user');
    const question = typeof last?.content === 'string' ? last.content : '';
    const reference = testPairs.find((p) => p.question === question)?.answer ?? '';
    return { text: goodModel(body.model) ? reference : 'Please contact our support team about that.' };
  };
}

describe.each(backends)('fine-tuning jobs on %s (fake OpenAI API)', (backend) => {
  let fake: FakeOpenAI;
  let database: TestDatabase;
  let config: Config;
  let deps: AdvanceDeps;
  let queue: JobQueue;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    database = await createTestDatabase(backend);
    await seedAgentData(database, agentDocs);
    config = loadConfig({}, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
    const embedder = new LocalEmbedder();
    deps = {
      db: database.db,
      client: createFinetuneClient(config.openai!),
      agent: () => createAgentDeps(config, database.db, embedder),
      openai: config.openai!,
      settings: config.agent,
    };
    queue = await openQueue(database, { role: 'producer' });
    const pair = (question: string, answer: string, split: 'train' | 'validation' | 'test') => ({
      question,
      answer,
      sourceType: 'solution' as const,
      status: 'approved' as const,
      split,
    });
    await database.db
      .insert(qaPairs)
      .values([
        ...Array.from({ length: 12 }, (_, i) =>
          pair(`Training question ${i}?`, `Training answer ${i}.`, 'train'),
        ),
        pair('Validation question?', 'Validation answer.', 'validation'),
        ...testPairs.map((p) => pair(p.question, p.answer, 'test')),
      ]);
  });
  afterAll(async () => {
    await queue?.close();
    await database?.destroy();
    await fake?.close();
  });

  async function start(): Promise<FinetuneJob> {
    const model = baseModelInfo(base);
    const dataset = await buildFinetuneDataset(database.db, model);
    const result = await startFinetune(
      { db: database.db, client: deps.client },
      {
        dataset,
        estimate: estimateDataset(dataset, model, 3),
        baseModel: base,
        suffix: 'support',
        startedBy: 'test',
      },
    );
    if ('error' in result) throw new Error(result.error);
    return result.job;
  }

  async function followToTheEnd(job: FinetuneJob): Promise<FinetuneJob> {
    for (let i = 0; i < 10; i++) {
      const step = await advanceFinetune(deps, job);
      job = step.job;
      if (step.done) return job;
    }
    throw new Error('the job never finished');
  }

  it('uploads the files, creates the job, polls it to success and stores both evaluations', async () => {
    fake.reset();
    fake.scriptFineTune({ model: 'ft:gpt-4.1-mini:parley:support:good' });
    const job = await start();
    expect(fake.files.map((f) => [f.filename, f.purpose])).toEqual([
      ['train.jsonl', 'fine-tune'],
      ['validation.jsonl', 'fine-tune'],
    ]);
    expect(fake.files[0]!.content.trim().split('\n')).toHaveLength(12);
    expect(JSON.parse(fake.files[0]!.content.split('\n')[0]!)).toMatchObject({
      messages: [
        { role: 'system' },
        { role: 'user', content: expect.stringMatching(/^Training question \d+\?$/) },
        { role: 'assistant' },
      ],
    });
    const created = fake.requests.find((r) => r.path === '/v1/fine_tuning/jobs')!;
    expect(created.body).toMatchObject({
      model: base,
      training_file: 'file-1',
      validation_file: 'file-2',
      suffix: 'support',
    });
    expect(job).toMatchObject({ status: 'validating_files', trainingExamples: 12, validationExamples: 1 });
    expect(job.estimatedTokens).toBeGreaterThan(0);

    fake.scriptChat(Array.from({ length: 6 }, () => referenceAnswerer((m) => m.endsWith(':good'))));
    const [before] = await database.db.select({ n: count() }).from(conversations);
    const done = await followToTheEnd(job);
    expect(done).toMatchObject({
      status: 'succeeded',
      resultingModel: 'ft:gpt-4.1-mini:parley:support:good',
      trainedTokens: 12_345,
    });
    expect(done.events.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'Job entered status running',
        'New fine-tuned model created: ft:gpt-4.1-mini:parley:support:good',
      ]),
    );
    // Each test question was asked once of each model, through the agent.
    const models = fake.chatRequests().map((r) => r.model);
    expect(models.filter((m) => m === base)).toHaveLength(3);
    expect(models.filter((m) => m.endsWith(':good'))).toHaveLength(3);
    const stored = (await findFinetuneJob(database.db, job.id))!.evaluation!;
    expect(stored.tuned).toMatchObject({
      model: 'openai:ft:gpt-4.1-mini:parley:support:good',
      n: 3,
      score: 1,
      citationMatch: null,
    });
    expect(stored.base.score).toBeLessThan(0.3);
    // Evaluation conversations are removed again.
    const [after] = await database.db.select({ n: count() }).from(conversations);
    expect(after!.n).toBe(before!.n);

    const promoted = await promoteFinetune(database.db, done, { by: 'test' });
    expect(promoted).toMatchObject({ ok: true, model: 'ft:gpt-4.1-mini:parley:support:good' });
    const active = await readActiveChatModel(database.db);
    expect(active).toMatchObject({ model: 'ft:gpt-4.1-mini:parley:support:good', finetuneJobId: job.id });
    // It replaced PARLEY_CHAT_MODEL, which a rollback goes back to.
    expect(active!.previous).toBeUndefined();
    // The agent now answers with the promoted model.
    expect((await deps.agent()).chat.id).toBe('openai:ft:gpt-4.1-mini:parley:support:good');
  });

  it('refuses to promote a model that scored below its base model, unless forced', async () => {
    fake.scriptFineTune({ statuses: ['queued', 'succeeded'], model: 'ft:gpt-4.1-mini:parley:support:worse' });
    const job = await start();
    fake.scriptChat(Array.from({ length: 6 }, () => referenceAnswerer((m) => m === base)));
    const done = await followToTheEnd(job);
    expect(done.evaluation!.tuned.score).toBeLessThan(done.evaluation!.base.score);
    const refused = await promoteFinetune(database.db, done, { by: 'test' });
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /scored 0\.\d+, below its base model gpt-4\.1-mini-2025-04-14 \(1\.000\); use --force/,
      ),
    });
    expect((await readActiveChatModel(database.db))!.model).toBe('ft:gpt-4.1-mini:parley:support:good');
    const forced = await promoteFinetune(database.db, done, { by: 'test', force: true });
    expect(forced).toMatchObject({ ok: true, model: 'ft:gpt-4.1-mini:parley:support:worse' });
    expect((await readActiveChatModel(database.db))!.model).toBe('ft:gpt-4.1-mini:parley:support:worse');
  });

  it('records a failed job with its error, and never evaluates or promotes it', async () => {
    fake.scriptFineTune({ statuses: ['validating_files', 'failed'], error: 'Invalid file format.' });
    const done = await followToTheEnd(await start());
    expect(done).toMatchObject({
      status: 'failed',
      error: 'Invalid file format.',
      evaluation: null,
      resultingModel: null,
    });
    expect(await promoteFinetune(database.db, done, { by: 'test', force: true })).toMatchObject({
      ok: false,
    });
  });

  it('runs as a job that polls again later until the provider is done', async () => {
    fake.scriptFineTune({ statuses: ['queued', 'running', 'failed'] });
    const job = await start();
    const worker = {
      db: database.db,
      embedder: new LocalEmbedder(),
      queue,
      settings: {} as never,
      log: () => {},
      config,
    };
    const first = await runJob(
      'finetune.poll',
      { id: 'j1', data: { finetuneJobId: job.id, intervalSeconds: 30 } },
      worker,
    );
    expect(first).toMatchObject({ status: 'completed', output: { status: 'running' } });
    // The next poll is queued to start later.
    const queued = await queryRows<{ data: unknown; later: boolean }>(
      database.db,
      sql`SELECT data, start_after > now() + interval '20 seconds' AS later FROM pgboss.job WHERE name = 'finetune.poll'`,
    );
    expect(queued).toEqual([{ data: { finetuneJobId: job.id, intervalSeconds: 30 }, later: true }]);
    expect(
      await runJob(
        'finetune.poll',
        { id: 'j2', data: { finetuneJobId: job.id } },
        { ...worker, config: { ...config, openai: undefined } },
      ),
    ).toMatchObject({ status: 'deadletter', output: { code: 'no_api_key' } });
  });
});
