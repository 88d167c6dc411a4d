import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTree } from '../../test/support/files.ts';
import { createProgress } from '../cli/ingest.ts';
import { waitFor } from './wait.fixture.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/parley.js');

function cleanEnv() {
  return {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
      ),
    ),
    // The sources these tests sync are served on loopback, which URL ingestion otherwise refuses.
    PARLEY_FETCH_ALLOW_HOSTS: '127.0.0.1,localhost',
  };
}

async function parley(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: cleanEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A stream that records what is written to it, posing as a terminal or not. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => writes.push(s) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => writes.join('') };
}

describe('progress', () => {
  it('draws a bar under the lines on a terminal, and only the lines anywhere else', () => {
    const tty = fakeStream(true);
    const progress = createProgress('ingesting', tty.stream);
    progress.log('[1/2] ✓ created a.md', 1, 2);
    progress.log('[2/2] ✓ created b.md', 2, 2);
    progress.finish();
    expect(tty.text()).toContain('[1/2] ✓ created a.md\n');
    expect(tty.text()).toMatch(/ingesting \[█+░*\] 1\/2 .*left/);
    expect(tty.text()).toMatch(/ingesting \[█+\] 2\/2 .*done/);
    expect(tty.text().endsWith('\r\x1b[2K')).toBe(true);

    const pipe = fakeStream(false);
    const plain = createProgress('ingesting', pipe.stream);
    plain.log('[1/1] ✓ created a.md', 1, 1);
    plain.finish();
    expect(pipe.text()).toBe('[1/1] ✓ created a.md\n');
  });
});

describe('sources, queued ingest and the worker, from the command line (embedded database)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-jobs-cli-'));
  const folder = writeTree({
    'guides/pairing.md': '# Pairing\n\nHold the case button for three seconds to pair the earbuds.',
  });
  let server: http.Server;
  let base = '';
  let slowRequested = false;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url !== '/slow') return res.writeHead(404).end();
      slowRequested = true;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><main><h1>Slow page</h1><p>It took a while to arrive.</p></main></body></html>');
      }, 2500);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds, lists and syncs a source', async () => {
    const added = await parley(['sources', 'add', folder, '--every', '10', '--json', '--data-dir', dataDir]);
    expect(added.code).toBe(0);
    const source = JSON.parse(added.stdout) as { id: string; kind: string; intervalMinutes: number };
    expect(source).toMatchObject({ kind: 'folder', intervalMinutes: 10 });

    const synced = await parley(['sources', 'sync', '--all', '--data-dir', dataDir]);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toMatch(/\[1\/1\] ✓ created guides\/pairing\.md|✓ created .*pairing\.md/);
    expect(synced.stderr).toMatch(/1 sources: 1 new/);

    const listed = await parley(['sources', 'list', '--json', '--data-dir', dataDir]);
    const [row] = JSON.parse(listed.stdout) as { id: string; lastStatus: { created: number } }[];
    expect(row).toMatchObject({ id: source.id, lastStatus: { created: 1, mode: 'inline' } });

    const neither = await parley(['sources', 'sync', '--data-dir', dataDir]);
    expect(neither).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/name one source, or pass --all/),
    });
  });

  it('queues ingestion; the worker runs it and, stopped mid-job, finishes that job first', async () => {
    const missing = await parley(['ingest', path.join(folder, 'gone.md'), '--queue', '--data-dir', dataDir]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/no such file or folder/) });
    const queued = await parley(['ingest', `${base}/slow`, '--queue', '--data-dir', dataDir]);
    expect(queued.code).toBe(0);
    expect(queued.stderr).toMatch(/Queued 1 sources for ingestion/);

    const worker = spawn(process.execPath, [bin, 'worker', '--concurrency', '1', '--data-dir', dataDir], {
      env: cleanEnv(),
    });
    let output = '';
    worker.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on('exit', resolve));
    try {
      await waitFor(async () => slowRequested, 30_000);
      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      worker.kill('SIGKILL');
    }
    const stopping = output.indexOf('SIGTERM: taking no new jobs');
    const finished = output.indexOf(`✓ ingest.source created ${base}/slow`);
    expect(stopping).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(stopping);
    expect(output).toMatch(/worker stopped/);

    const docs = await parley(['docs', 'list', '--json', '--data-dir', dataDir]);
    expect((JSON.parse(docs.stdout) as { source: string }[]).map((d) => d.source)).toContain(`${base}/slow`);
  });
});
