import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../../test/support/databases.ts';
import { createTestServer, json, type TestServer } from '../../../../test/support/server-fixture.ts';
import type {
  EvalCase,
  EvalRunDiff,
  EvalRunList,
  EvalRunView,
  EvalSuiteView,
} from '../../../contracts/eval.ts';
import { openQueue } from '../../../jobs/queue.ts';
import { suiteHash } from '../../../learn/suite-file.ts';
import { runSuite } from '../../../learn/suite-run.ts';

const cases: EvalCase[] = [
  { id: 'pairing', question: 'My earbuds will not pair', expect: { cites: ['pairing.md'] } },
  { id: 'refunds', question: 'How long do refunds take?', expect: { contains: ['5 business days'] } },
];

describe.each(backends)('admin API for answer test runs on %s', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer(backend);
  });
  afterAll(() => t?.destroy());

  const call = (path: string, init: RequestInit = {}) =>
    t.app.request(path, { ...init, headers: { ...t.staff, ...(init.body ? json : {}), ...init.headers } });

  it('is for staff only', async () => {
    for (const [method, path] of [
      ['GET', '/api/admin/eval/runs'],
      ['GET', `/api/admin/eval/runs/${crypto.randomUUID()}`],
      ['POST', '/api/admin/eval/suites'],
    ] as const) {
      const res = await t.app.request(path, { method, headers: t.customer('cus_a1f93k') });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('lists runs, shows one, and diffs two', async () => {
    const suite = { name: 'api', hash: suiteHash(cases), cases };
    const first = await runSuite(t.services.agent, suite, { trigger: 'cli' });
    const changed = { ...suite, cases: [cases[0]!, { ...cases[1]!, expect: { contains: ['90 days'] } }] };
    const second = await runSuite(t.services.agent, changed, { trigger: 'cli' });

    const list = (await (await call('/api/admin/eval/runs?suite=api')).json()) as EvalRunList;
    expect(list.suites).toContain('api');
    expect(list.runs.map((r) => [r.id, r.passed, r.n])).toEqual([
      [second.run.id, 1, 2],
      [first.run.id, 2, 2],
    ]);

    const shown = (await (await call(`/api/admin/eval/runs/${second.run.id}`)).json()) as EvalRunView;
    expect(shown.cases.map((c) => [c.caseId, c.passed, c.reasons])).toEqual([
      ['pairing', true, []],
      ['refunds', false, ['answer lacks "90 days"']],
    ]);
    expect(shown.cases[0]!.citations[0]!.source).toMatch(/pairing\.md$/);

    const diff = (await (
      await call(`/api/admin/eval/runs/${first.run.id}/diff/${second.run.id}`)
    ).json()) as EvalRunDiff;
    expect(diff.cases.map((c) => [c.caseId, c.change])).toEqual([['refunds', 'broke']]);
    expect(diff.unchanged).toBe(1);
    expect(diff.changedDocuments).toEqual([]);

    expect((await call(`/api/admin/eval/runs/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call(`/api/admin/eval/runs/${first.run.id}/diff/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call('/api/admin/eval/runs/nope')).status).toBe(400);
  });

  it('registers a suite and queues its first run', async () => {
    const body = JSON.stringify({ name: 'registered', cases });
    const queue = await openQueue(t.database, { role: 'producer' });
    t.services.queue = queue;
    try {
      const res = await call('/api/admin/eval/suites', { method: 'POST', body });
      expect(res.status).toBe(201);
      const suite = (await res.json()) as EvalSuiteView;
      expect(suite).toMatchObject({ name: 'registered', cases: 2, hash: suiteHash(cases) });
      expect(suite.jobId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      delete t.services.queue;
      await queue.close();
    }
    const noQueue = (await (
      await call('/api/admin/eval/suites', { method: 'POST', body })
    ).json()) as EvalSuiteView;
    expect(noQueue.jobId).toBeNull();

    const twice = await call('/api/admin/eval/suites', {
      method: 'POST',
      body: JSON.stringify({ name: 'dup', cases: [cases[0], cases[0]] }),
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({
      code: 'invalid_request',
      message: 'case id "pairing" is used twice',
    });
    const typo = await call('/api/admin/eval/suites', {
      method: 'POST',
      body: JSON.stringify({
        name: 'typo',
        cases: [{ id: 'x', question: 'Q?', expect: { contain: ['a'] } }],
      }),
    });
    expect(typo.status).toBe(400);
  });
});
