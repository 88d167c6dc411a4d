import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { createTestServer, json, type TestServer } from '../../test/support/server-fixture.ts';
import type { FinetuneOverview } from '../contracts/finetune.ts';
import type { QaGenerateResult, QaList, QaPairView } from '../contracts/qa.ts';
import { readActiveChatModel, writeActiveChatModel } from '../agent/models/active-model.ts';
import { finetuneJobs, qaPairs } from '../db/schema/index.ts';
import { openQueue } from '../jobs/queue.ts';

describe.each(backends)('admin API for Q&A pairs and fine-tuning on %s', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t?.destroy());

  const call = (path: string, init: RequestInit = {}) =>
    t.app.request(path, { ...init, headers: { ...t.staff, ...(init.body ? json : {}), ...init.headers } });

  it('is for staff only', async () => {
    for (const [method, path] of [
      ['GET', '/api/admin/qa'],
      ['POST', '/api/admin/qa/generate'],
      ['POST', '/api/admin/qa/approve-all'],
      ['GET', '/api/admin/finetune'],
      ['POST', '/api/admin/finetune/rollback'],
    ] as const) {
      const res = await t.app.request(path, { method, headers: t.customer('cus_a1f93k') });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('generates in the request without a queue, then lists, edits, approves and rejects', async () => {
    const generated = await call('/api/admin/qa/generate', { method: 'POST', body: '{"from":["docs"]}' });
    expect(generated.status).toBe(200);
    const { jobId, report } = (await generated.json()) as QaGenerateResult;
    expect(jobId).toBeNull();
    expect(report!.created).toBe(2);

    const listed = (await (await call('/api/admin/qa?status=draft')).json()) as QaList;
    expect(listed.counts.draft).toBe(report!.created);
    const [first, second] = listed.pairs;

    const edited = await call(`/api/admin/qa/${first!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ answer: 'Write to help@example.com.' }),
    });
    expect(((await edited.json()) as QaPairView).answer).toBe('Write to [EMAIL_1].');
    const approved = (await (
      await call(`/api/admin/qa/${first!.id}/approve`, { method: 'POST' })
    ).json()) as QaPairView;
    expect(approved).toMatchObject({
      status: 'approved',
      split: expect.stringMatching(/train|validation|test/),
    });
    const withEdits = (await (
      await call(`/api/admin/qa/${second!.id}/approve`, {
        method: 'POST',
        body: JSON.stringify({ question: 'How do I pair the earbuds?' }),
      })
    ).json()) as QaPairView;
    expect(withEdits).toMatchObject({ status: 'approved', question: 'How do I pair the earbuds?' });
    expect(
      ((await (await call(`/api/admin/qa/${second!.id}/reject`, { method: 'POST' })).json()) as QaPairView)
        .status,
    ).toBe('rejected');
    const all = await call('/api/admin/qa/approve-all', { method: 'POST' });
    expect(await all.json()).toEqual({ approved: 0 });
    expect(((await (await call(`/api/admin/qa/${first!.id}`)).json()) as QaPairView).id).toBe(first!.id);
  });

  it('answers bad requests and unknown pairs with the usual errors', async () => {
    expect((await call(`/api/admin/qa/${crypto.randomUUID()}/approve`, { method: 'POST' })).status).toBe(404);
    expect((await call('/api/admin/qa/not-an-id')).status).toBe(400);
    const empty = await call(`/api/admin/qa/${crypto.randomUUID()}`, {
      method: 'PATCH',
      body: '{"question":""}',
    });
    expect(empty.status).toBe(400);
    expect((await call('/api/admin/qa?status=maybe')).status).toBe(400);
    const badSource = await call('/api/admin/qa/generate', { method: 'POST', body: '{"from":["tickets"]}' });
    expect(await badSource.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('queues generation as a job when the server has a queue, once at a time', async () => {
    const queue = await openQueue(t.database, { role: 'producer' });
    t.services.queue = queue;
    try {
      const first = await call('/api/admin/qa/generate', { method: 'POST' });
      expect(first.status).toBe(202);
      expect(((await first.json()) as QaGenerateResult).jobId).toMatch(/^[0-9a-f-]{36}$/);
      const again = await call('/api/admin/qa/generate', { method: 'POST' });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'conflict' });
    } finally {
      delete t.services.queue;
      await queue.close();
    }
  });

  it('shows fine-tuning jobs and promotes only a model that beat its base model, unless forced', async () => {
    const score = (model: string, s: number) => ({
      model,
      n: 3,
      tokenF1: s,
      citationMatch: null,
      abstained: 0,
      score: s,
    });
    const [job] = await t.database.db
      .insert(finetuneJobs)
      .values({
        providerJobId: 'ftjob-1',
        baseModel: 'gpt-4.1-mini',
        status: 'succeeded',
        resultingModel: 'ft:gpt-4.1-mini:acme::1',
        evaluation: {
          tuned: score('openai:ft:gpt-4.1-mini:acme::1', 0.4),
          base: score('openai:gpt-4.1-mini', 0.5),
          evaluatedAt: new Date().toISOString(),
        },
        events: [
          {
            id: 'e1',
            createdAt: new Date().toISOString(),
            level: 'info',
            message: 'Job entered status succeeded',
          },
        ],
      })
      .returning();
    const overview = (await (await call('/api/admin/finetune')).json()) as FinetuneOverview;
    expect(overview.jobs[0]).toMatchObject({
      id: job!.id,
      status: 'succeeded',
      active: false,
      events: [{ id: 'e1' }],
    });
    expect(overview.dataset.train + overview.dataset.validation + overview.dataset.test).toBeGreaterThan(0);

    const refused = await call(`/api/admin/finetune/${job!.id}/promote`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(/below its base model/);
    const forced = await call(`/api/admin/finetune/${job!.id}/promote`, {
      method: 'POST',
      body: '{"force":true}',
    });
    expect(await forced.json()).toMatchObject({ active: true, promotedAt: expect.any(String) });
    expect(((await (await call('/api/admin/finetune')).json()) as FinetuneOverview).activeModel).toBe(
      'ft:gpt-4.1-mini:acme::1',
    );
    expect(
      (await call(`/api/admin/finetune/${crypto.randomUUID()}/promote`, { method: 'POST' })).status,
    ).toBe(404);
    await t.database.db.delete(qaPairs);
  });

  it('rolls a promotion back to the model it replaced, then to PARLEY_CHAT_MODEL', async () => {
    const jobs = await t.database.db
      .insert(finetuneJobs)
      .values(
        ['a', 'b'].map((name) => ({
          providerJobId: `ftjob-rollback-${name}`,
          baseModel: 'gpt-4.1-mini',
          status: 'succeeded' as const,
          resultingModel: `ft:gpt-4.1-mini:acme::${name}`,
        })),
      )
      .returning();
    const overview = async () => (await (await call('/api/admin/finetune')).json()) as FinetuneOverview;
    const promote = (id: string) =>
      call(`/api/admin/finetune/${id}/promote`, { method: 'POST', body: '{"force":true}' });
    const rollback = () => call('/api/admin/finetune/rollback', { method: 'POST' });
    expect((await promote(jobs[0]!.id)).status).toBe(200);
    expect((await promote(jobs[1]!.id)).status).toBe(200);
    // The replaced model is stored as the model's own name, as `model` is, whatever the server answers with.
    expect(await readActiveChatModel(t.database.db)).toMatchObject({
      model: 'ft:gpt-4.1-mini:acme::b',
      previous: 'ft:gpt-4.1-mini:acme::a',
    });

    const first = await rollback();
    expect(first.status).toBe(200);
    const back = (await first.json()) as FinetuneOverview;
    expect(back.activeModel).toBe('ft:gpt-4.1-mini:acme::a');
    expect(back.jobs.find((j) => j.id === jobs[0]!.id)?.active).toBe(true);
    expect((await rollback()).status).toBe(200);
    expect((await overview()).activeModel).toBeNull();
    const nothing = await rollback();
    expect(nothing.status).toBe(409);
    expect(((await nothing.json()) as { message: string }).message).toMatch(/PARLEY_CHAT_MODEL/);

    // A promotion recorded by an older console named the replaced model by its display id.
    await writeActiveChatModel(t.database.db, {
      model: 'ft:gpt-4.1-mini:acme::b',
      previous: 'openai:ft:gpt-4.1-mini:acme::a',
      setAt: new Date().toISOString(),
    });
    expect(((await (await rollback()).json()) as FinetuneOverview).activeModel).toBe(
      'ft:gpt-4.1-mini:acme::a',
    );
    await call('/api/admin/finetune/rollback', { method: 'POST' });
  });
});
