import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { queryRows } from '../db/client.ts';
import { openQueue } from './queue.ts';
import { waitFor } from './wait.fixture.ts';
import { jobStatus } from './status.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(import.meta.dirname, 'worker-process.fixture.ts');
const settings = {
  maxFileBytes: 1024 * 1024,
  fetchTimeoutMs: 2000,
  chunk: { maxTokens: 120, overlapTokens: 20 },
};
const documentCount = 500;

/** The environment without anything that would point a child process elsewhere. */
function cleanEnv(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
  return { ...env, ...extra };
}

/** 500 distinct small guides (one to three chunks each) in a new folder. */
function writeCorpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-workers-'));
  const topics = ['pairing', 'charging', 'firmware', 'returns', 'warranty', 'shipping', 'cleaning'];
  for (let i = 0; i < documentCount; i++) {
    const topic = topics[i % topics.length]!;
    const paragraphs = Array.from(
      { length: 1 + (i % 5) },
      (_, p) =>
        `Step ${p + 1} for model K${i}: the ${topic} procedure number ${i}-${p} needs the case lid open ` +
        `and the light blinking ${['white', 'blue', 'green'][p % 3]} before you continue with part ${p}. ` +
        `Customers asking about unit ${i} should read section ${p} twice.`,
    );
    fs.writeFileSync(
      path.join(dir, `guide-${String(i).padStart(3, '0')}.md`),
      `# K${i} ${topic}\n\n${paragraphs.join('\n\n')}\n`,
    );
  }
  return dir;
}

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorkerProcess(url: string): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, '2'], {
    cwd: root,
    env: cleanEnv({ DATABASE_URL: url }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function enqueueCorpus(database: TestDatabase, dir: string): Promise<void> {
  const queue = await openQueue(database, { role: 'producer' });
  try {
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    await queue.enqueueMany(
      'ingest.source',
      files.map((uri) => ({ source: { uri, kind: 'file' as const, root: dir }, settings })),
    );
  } finally {
    await queue.close();
  }
}

async function completedIngests(database: TestDatabase): Promise<number> {
  return (await jobStatus(database.db)).queues.find((q) => q.name === 'ingest.source')!.counts.completed;
}

/** Every document once, one version each, every version whole: its chunks all there, none twice. */
async function expectEachDocumentOnce(database: TestDatabase, dir: string): Promise<void> {
  const [totals] = await queryRows<{ documents: number; versions: number; current: number }>(
    database.db,
    sql`SELECT (SELECT count(*)::int FROM documents) AS documents,
               (SELECT count(*)::int FROM document_versions) AS versions,
               (SELECT count(*)::int FROM documents WHERE current_version_id IS NOT NULL) AS current`,
  );
  expect(totals).toEqual({ documents: documentCount, versions: documentCount, current: documentCount });
  const sources = await queryRows<{ source: string }>(database.db, sql`SELECT source FROM documents`);
  expect(new Set(sources.map((s) => s.source))).toEqual(
    new Set(fs.readdirSync(dir).map((f) => path.join(dir, f))),
  );
  const [chunkCheck] = await queryRows<{ partial: number; duplicates: number; stale: number }>(
    database.db,
    sql`SELECT
          (SELECT count(*)::int FROM document_versions v
            WHERE v.chunk_count <> (SELECT count(*) FROM chunks c WHERE c.version_id = v.id)) AS partial,
          (SELECT count(*)::int FROM (SELECT version_id, ordinal FROM chunks GROUP BY 1, 2 HAVING count(*) > 1) d)
            AS duplicates,
          (SELECT count(*)::int FROM chunks WHERE NOT is_current) AS stale`,
  );
  expect(chunkCheck).toEqual({ partial: 0, duplicates: 0, stale: 0 });
}

describe('worker processes on the Postgres server', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  it('two workers share 500 queued documents: each ingested exactly once, then both stop gracefully', async () => {
    const database = await createTestDatabase('postgres');
    cleanup.push(() => database.destroy());
    const dir = writeCorpus();
    cleanup.push(() => fs.promises.rm(dir, { recursive: true, force: true }));
    await enqueueCorpus(database, dir);

    const workers = [startWorkerProcess(database.url!), startWorkerProcess(database.url!)];
    cleanup.push(async () => workers.forEach((w) => w.child.kill('SIGKILL')));
    await waitFor(async () => (await completedIngests(database)) === documentCount, 90_000);
    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

    await expectEachDocumentOnce(database, dir);
    const created = workers.map((w) => (w.output().match(/✓ ingest\.source created /g) ?? []).length);
    // Every job ran once, and both workers took a share.
    expect(created[0]! + created[1]!).toBe(documentCount);
    expect(Math.min(...created)).toBeGreaterThan(0);
    expect(workers.every((w) => /worker stopped/.test(w.output()))).toBe(true);
  }, 120_000);

  it('a worker killed mid-run loses nothing: the other finishes, its interrupted jobs are retried', async () => {
    const database = await createTestDatabase('postgres');
    cleanup.push(() => database.destroy());
    const dir = writeCorpus();
    cleanup.push(() => fs.promises.rm(dir, { recursive: true, force: true }));
    await enqueueCorpus(database, dir);

    const [doomed, survivor] = [startWorkerProcess(database.url!), startWorkerProcess(database.url!)];
    cleanup.push(async () => [doomed, survivor].forEach((w) => w!.child.kill('SIGKILL')));
    await waitFor(async () => (await completedIngests(database)) >= 100, 60_000);
    doomed!.child.kill('SIGKILL');
    expect(await doomed!.exited).toBe(null);

    // The jobs the killed worker held come back once their heartbeat lapses (30 s) and are retried.
    await waitFor(async () => (await completedIngests(database)) === documentCount, 90_000);
    survivor!.child.kill('SIGTERM');
    expect(await survivor!.exited).toBe(0);

    await expectEachDocumentOnce(database, dir);
    const [retried] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ingest.source' AND retry_count > 0`,
    );
    expect(retried!.n).toBeGreaterThan(0);
  }, 150_000);
});
