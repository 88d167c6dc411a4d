import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { listDocuments } from '../knowledge/versions.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { InvalidJobPayload, jobNames, parseJobPayload } from './catalog.ts';
import { type JobQueue, openQueue } from './queue.ts';
import { jobStatus } from './status.ts';
import { waitFor } from './wait.fixture.ts';
import { listErrors } from '../ops/error-tracking.ts';
import { runJob, startWorker } from './worker.ts';

describe('job payloads', () => {
  it('names every problem of an invalid payload', () => {
    expect(() =>
      parseJobPayload('ingest.source', { source: { uri: 'docs/a.md', kind: 'file' }, settings: {} }),
    ).toThrow(
      /Invalid payload for job "ingest.source": source.uri: a file source needs an absolute path.*settings.maxFileBytes/,
    );
    expect(() => parseJobPayload('sources.sync', { sourceId: 'nope', reason: 'manual' })).toThrow(
      InvalidJobPayload,
    );
  });

  it('refuses a job a worker does not know, and a stored payload that no longer validates', async () => {
    expect(() => parseJobPayload('ingest.everything' as never, {})).toThrow(/no such job/);
    const outcome = await runJob('ingest.source', { id: 'x', data: { source: 42 } }, {} as never);
    expect(outcome.status).toBe('deadletter');
    expect(outcome.output).toMatchObject({ code: 'invalid_payload' });
  });
});

describe.each(backends)('the job queue on %s', (backend) => {
  let database: TestDatabase;
  let queue: JobQueue;
  const logged: string[] = [];
  let before: Awaited<ReturnType<typeof jobStatus>>;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    before = await jobStatus(database.db);
    queue = await openQueue(database, { role: 'worker', superviseIntervalSeconds: 2 });
  });
  afterAll(async () => {
    await queue?.close();
    await database?.destroy();
  });

  it('reports an empty queue before anything is installed, then the catalog queues', async () => {
    expect(before.installed).toBe(false);
    expect(before.queues.map((q) => q.counts.created)).toEqual(jobNames.map(() => 0));
    const status = await jobStatus(database.db);
    expect(status.installed).toBe(true);
    expect(status.queues.map((q) => q.name)).toEqual(jobNames);
    expect(status.queues.every((q) => q.counts.created === 0)).toBe(true);
  });

  it('rejects an invalid payload at enqueue with a clear error, and queues nothing of a bad batch', async () => {
    const good = { source: { uri: '/tmp/a.md', kind: 'file' as const }, settings: testIngestSettings };
    await expect(
      queue.enqueue('ingest.source', { ...good, source: { uri: 'relative.md', kind: 'file' } }),
    ).rejects.toThrow(
      /Invalid payload for job "ingest.source": source.uri: a file source needs an absolute path/,
    );
    await expect(
      queue.enqueueMany('ingest.source', [
        good,
        { ...good, settings: { ...good.settings, maxFileBytes: -1 } },
      ]),
    ).rejects.toThrow(/settings.maxFileBytes: Too small/);
    const status = await jobStatus(database.db);
    expect(status.queues.find((q) => q.name === 'ingest.source')!.counts.created).toBe(0);
  });

  it('runs queued ingestion on a worker and reports failures with their error', async () => {
    const root = writeTree({ 'guides/pairing.md': '# Pairing\n\nHold the case button for three seconds.' });
    const file = path.join(root, 'guides/pairing.md');
    await queue.enqueueMany('ingest.source', [
      { source: { uri: file, kind: 'file', root }, settings: testIngestSettings },
      { source: { uri: path.join(root, 'missing.md'), kind: 'file' }, settings: testIngestSettings },
    ]);
    const queued = (await jobStatus(database.db)).queues.find((q) => q.name === 'ingest.source')!;
    expect(queued.counts.created).toBe(2);
    expect(queued.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);

    await startWorker(
      {
        db: database.db,
        embedder: new LocalEmbedder(),
        queue,
        settings: testIngestSettings,
        log: (line) => logged.push(line),
      },
      { concurrency: 1, pollingIntervalSeconds: 0.5 },
    );
    await waitFor(async () => {
      const q = (await jobStatus(database.db)).queues.find((x) => x.name === 'ingest.source')!;
      return q.counts.completed === 1 && q.counts.failed === 1;
    });
    const docs = await listDocuments(database.db);
    expect(docs.map((d) => [d.source, d.kind, d.currentVersion])).toEqual([[file, 'guide', 1]]);
    const { recentFailures } = await jobStatus(database.db);
    // A missing file cannot succeed later: it fails for good on its first attempt.
    expect(recentFailures).toEqual([
      expect.objectContaining({
        name: 'ingest.source',
        state: 'failed',
        retryCount: 0,
        subject: path.join(root, 'missing.md'),
        error: expect.stringMatching(/no such file/),
      }),
    ]);
    expect(logged.some((l) => l.startsWith('✓ ingest.source created'))).toBe(true);
    // The failed job is tracked with the errors, grouped by job and error code.
    const tracked = await listErrors(database.db);
    expect(tracked).toEqual([
      expect.objectContaining({
        fingerprint: 'job:ingest.source:not_found',
        status: 'open',
        count: 1,
        message: expect.stringMatching(/^JobFailed\(ingest\.source\): .*no such file/),
      }),
    ]);
    // The worker also keeps the once-a-minute checks for scheduled sources and for suites whose documents changed.
    const schedules = (await queue.boss.getSchedules()).map((s) => [s.name, s.cron]);
    expect(schedules.sort()).toEqual([
      ['eval.suites-due', '* * * * *'],
      ['sources.sync-due', '* * * * *'],
    ]);
    expect(logged.some((l) => l.startsWith('✗ ingest.source'))).toBe(true);
  });
});
