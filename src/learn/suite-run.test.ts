import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../agent/models/index.ts';
import { loadConfig } from '../config.ts';
import type { EvalCase } from '../contracts/eval.ts';
import { conversations } from '../db/schema/index.ts';
import { runJob } from '../jobs/worker.ts';
import { type JobQueue, openQueue } from '../jobs/queue.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { ingestInputs } from '../knowledge/ingest.ts';
import { importRecords } from '../support/import.ts';
import { agentDeps, agentDocs, examplesDir } from '../../test/support/agent-fixture.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { scriptedModel } from '../../test/support/scripted-model.ts';
import { diffRuns, regressions } from './suite-diff.ts';
import { suiteHash } from './suite-file.ts';
import { registerSuite, staleSuites } from './suite-registry.ts';
import { runSuite } from './suite-run.ts';
import { findRun, latestRun, listRuns } from './suite-store.ts';

const offline = createChatModel({ openai: undefined, agent: {} as never }, 'Kestrel');
const suiteOf = (name: string, cases: EvalCase[]) => ({ name, hash: suiteHash(cases), cases });

const behaviour: EvalCase[] = [
  {
    id: 'pairing',
    question: 'My earbuds will not pair with my phone',
    expect: { cites: ['pairing.md'], abstains: false, tools: ['search_knowledge'] },
  },
  { id: 'wrong-fact', question: 'How long do refunds take?', expect: { contains: ['90 days'] } },
  {
    id: 'follow-up',
    question: 'How do I get them to pair?',
    history: [
      { role: 'user', content: 'My earbuds will not pair.' },
      { role: 'assistant', content: 'I am sorry to hear that. Which earbuds do you have?' },
    ],
    expect: { cites: ['pairing'] },
  },
  {
    id: 'order',
    customer: 'cus_b27x4d',
    question: 'What is the status of my order KE-100142?',
    expect: { tools: ['get_order_status'], contains: ['ke-100142'] },
  },
  {
    id: 'ghost',
    customer: 'nobody@example.com',
    question: 'Where is my order?',
    expect: { escalates: false },
  },
  { id: 'person', question: 'I want to talk to a human please', expect: { escalates: true } },
  { id: 'off-topic', question: 'What is the capital of Australia?', expect: { abstains: true } },
];

const refundCase: EvalCase[] = [
  {
    id: 'refund-days',
    question: 'How long until my refund reaches my card?',
    expect: { cites: ['returns'], contains: ['5 business days'] },
  },
];

describe.each(backends)('answer test suites on %s', (backend) => {
  let database: TestDatabase;
  let docsRoot: string;
  let queue: JobQueue;
  const ingest = () =>
    ingestInputs({ db: database.db, embedder: new LocalEmbedder() }, [docsRoot], testIngestSettings);

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    for (const kind of ['products', 'customers', 'orders'] as const)
      await importRecords(database.db, kind, path.join(examplesDir, `${kind}.jsonl`));
    docsRoot = writeTree(agentDocs);
    await ingest();
    queue = await openQueue(database, { role: 'producer' });
  });
  afterAll(async () => {
    await queue?.close();
    await database?.destroy();
  });

  it('checks every expectation, stores the run, and leaves no conversations behind', async () => {
    const agent = agentDeps(database, offline);
    const { run, cases } = await runSuite(agent, suiteOf('behaviour', behaviour), { trigger: 'cli' });
    const verdicts = Object.fromEntries(
      cases.map((c) => [c.caseId, c.passed ? 'pass' : c.reasons.join('; ')]),
    );
    expect(verdicts).toEqual({
      pairing: 'pass',
      'wrong-fact': 'answer lacks "90 days"',
      'follow-up': 'pass',
      order: 'pass',
      ghost: 'no customer "nobody@example.com"',
      person: 'pass',
      'off-topic': 'pass',
    });
    expect(run).toMatchObject({
      n: 7,
      passed: 5,
      model: 'parley-offline',
      trigger: 'cli',
      changedAnswers: 0,
    });
    expect(cases.find((c) => c.caseId === 'order')!.tools).toContain('get_order_status');
    expect(cases.find((c) => c.caseId === 'pairing')!.citations[0]).toMatchObject({
      source: expect.stringMatching(/pairing\.md$/),
      versionId: expect.any(String),
    });
    expect(Object.keys(run.knowledgeVersions)).toHaveLength(3);
    expect(await database.db.select().from(conversations)).toEqual([]);
    expect((await findRun(database.db, run.id))!.cases.map((c) => c.caseId)).toEqual(
      behaviour.map((c) => c.id),
    );
    expect((await listRuns(database.db, { suite: 'behaviour' })).runs.map((r) => r.id)).toEqual([run.id]);
  });

  it('replays history as stored turns and asks the model once, for the question', async () => {
    const model = scriptedModel([{ text: 'Hold the case button for three seconds.' }]);
    const { cases } = await runSuite(agentDeps(database, model), suiteOf('history', [behaviour[2]!]), {
      trigger: 'cli',
    });
    expect(model.mock.doStreamCalls).toHaveLength(1);
    const prompt = JSON.stringify(model.mock.doStreamCalls[0]!.prompt);
    expect(prompt).toContain('My earbuds will not pair.');
    expect(prompt).toContain('Which earbuds do you have?');
    expect(cases[0]!.reasons).toEqual(['does not cite "pairing" (cited: nothing)']);
  });

  it('catches a regression after a document change, and the job re-runs the registered suite', async () => {
    const agent = agentDeps(database, offline);
    const suite = suiteOf('refunds', refundCase);
    const registered = await registerSuite(database.db, suite);
    const first = await runSuite(agent, suite, { trigger: 'cli', suiteId: registered.id });
    expect(first.cases[0]!.passed).toBe(true);
    expect(await staleSuites(database.db)).toEqual([]);

    fs.writeFileSync(
      path.join(docsRoot, 'policies/returns.md'),
      '# Returns and refunds\n\nYou can return any product within 30 days of delivery for a full refund. ' +
        'Refunds reach your card within 10 business days after the return arrives at our warehouse.\n',
    );
    await ingest();
    const stale = await staleSuites(database.db);
    expect(stale).toEqual([
      { suite: expect.objectContaining({ name: 'refunds' }), changedDocuments: [expect.any(String)] },
    ]);

    const deps = {
      db: database.db,
      embedder: new LocalEmbedder(),
      queue,
      settings: testIngestSettings,
      log: () => {},
      config: loadConfig({ dataDir: 'memory://' }, {}),
    };
    expect(await runJob('eval.suites-due', { id: 'd1', data: {} }, deps)).toMatchObject({
      status: 'completed',
      output: { queued: 1 },
    });
    const job = await runJob(
      'eval.suite-run',
      {
        id: 'r1',
        data: {
          suiteId: registered.id,
          trigger: 'document-change',
          changedDocuments: stale[0]!.changedDocuments,
        },
      },
      deps,
    );
    expect(job).toMatchObject({ status: 'completed', output: { n: 1, passed: 0, changedAnswers: 1 } });

    const second = (await latestRun(database.db, 'refunds'))!;
    expect(second.run).toMatchObject({
      trigger: 'document-change',
      changedDocuments: stale[0]!.changedDocuments,
    });
    expect(second.cases[0]).toMatchObject({
      passed: false,
      answerChanged: true,
      reasons: ['answer lacks "5 business days"'],
    });
    expect(regressions(first, second).map((c) => c.caseId)).toEqual(['refund-days']);
    const diff = diffRuns(first, second);
    expect(diff.cases.map((c) => [c.caseId, c.change])).toEqual([['refund-days', 'broke']]);
    expect(diff.changedDocuments).toEqual([
      { documentId: stale[0]!.changedDocuments[0], before: 1, after: 2 },
    ]);
    // The new run recorded the new version: nothing is stale any more.
    expect(await staleSuites(database.db)).toEqual([]);
  });
});
