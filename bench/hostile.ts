/**
 * How a running server copes with hostile uploads: decompression bombs, inputs that used to make extraction
 * or chunking super-linear, and a very large document stored, replaced by a second version and restored.
 *
 *   npx tsx bench/hostile.ts [--root DIR] [--timeout SECONDS] [--only NAME,...]
 *
 * Starts `parley serve` (embedded database, local embedder, no demo data) as its own process from `--root` (this
 * checkout by default; point it at another checkout to measure that code), then uploads each file through the
 * admin API, one at a time. While an upload runs, /healthz is polled every 20 ms from a thread of its own (one
 * request at a time: a frozen event loop shows as one long request; `healthz-poller.ts`) and the server's resident
 * memory is sampled from /proc. Reports per file: the upload's time and outcome, /healthz max and p95 latency, the
 * most CPU time the server's main thread spent during one poll (about what the longest poll would take with no
 * other process competing for the CPU), and the server's peak RSS. A server that dies is reported as such and
 * restarted for the next file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { docxBomb, nestedDivs, pdfBomb, unpunctuatedText } from '../test/support/hostile-files.ts';
import { describeEnvironment } from './environment.ts';
import type { PollerOptions, PollReport } from './healthz-poller.ts';
import { markdownTable, percentile, round } from './stats.ts';

const MB = 1024 * 1024;
const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    timeout: { type: 'string', default: '600' },
    only: { type: 'string' },
  },
});
const root = path.resolve(args.root);
const uploadTimeoutMs = Number(args.timeout) * 1000;

interface Case {
  name: string;
  what: string;
  /** The name it is uploaded under when it is another version of an earlier case's document. */
  uploadAs?: string;
  file: () => Promise<Uint8Array | string>;
}

const cases: Case[] = [
  // First, so that starting the preparation thread is not counted against a hostile file.
  { name: 'warm-up.md', what: 'a small ordinary document', file: async () => '# Warm-up\n\nA short page.' },
  { name: 'bomb.docx', what: 'DOCX zip bomb, 1 GB of XML', file: () => docxBomb(1024 * MB) },
  { name: 'bomb.pdf', what: 'PDF flate bomb, one page of 250 MB', file: () => pdfBomb(250 * MB) },
  { name: 'wordy.pdf', what: 'PDF, one page of 60 MB of text', file: () => pdfBomb(60 * MB) },
  { name: 'nested.html', what: '200,000 nested <div>s', file: async () => nestedDivs(200_000) },
  {
    name: 'unpunctuated.txt',
    what: '12 MB of words, no punctuation',
    file: async () => unpunctuatedText(12 * MB),
  },
  // Then the same document changed (its 10,101 chunks leave search as the new ones enter), and back to its first
  // text, whose stored chunks become current again without re-embedding.
  {
    name: 'unpunctuated-v2.txt',
    uploadAs: 'unpunctuated.txt',
    what: 'the same document changed: version 2',
    file: async () => `changed ${unpunctuatedText(12 * MB)}`,
  },
  {
    name: 'unpunctuated-v1.txt',
    uploadAs: 'unpunctuated.txt',
    what: 'its first text again: version 1 restored',
    file: async () => unpunctuatedText(12 * MB),
  },
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  child: ChildProcess;
  url: string;
  token: string;
  exited: Promise<number | null>;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-hostile-'));
  const token = crypto.randomBytes(24).toString('hex');
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'LOGFIRE_TOKEN'].includes(k),
    ),
  );
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/parley.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--no-seed'],
    { cwd: root, env: { ...env, PARLEY_ADMIN_TOKEN: token, PARLEY_LOG_LEVEL: 'warn' }, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(200)) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, url, token, exited };
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

function residentBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts polling /healthz on a thread of its own (`healthz-poller.ts`); `stop` ends it and gives the polls. */
function startPolling(server: Server, timeoutMs = uploadTimeoutMs): { stop(): Promise<PollReport> } {
  // The thread runs TypeScript through tsx, which a worker does not inherit (as in src/knowledge/prepare-pool.ts).
  const poller = new URL('./healthz-poller.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(poller)}); })`;
  const options: PollerOptions = { url: `${server.url}/healthz`, pid: server.child.pid!, timeoutMs };
  const worker = new Worker(code, { eval: true, workerData: options });
  const report = new Promise<PollReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: () => {
      worker.postMessage('stop');
      return report;
    },
  };
}

function pollColumns({ latencies, cpu, failed }: PollReport) {
  const max = (values: number[]) => (values.length ? Math.round(Math.max(...values)) : '-');
  return {
    'healthz polls': failed ? `${latencies.length} (${failed} failed)` : latencies.length,
    'healthz max ms': max(latencies),
    'healthz p95 ms': latencies.length ? Math.round(percentile(latencies, 95)) : '-',
    'server CPU in a poll, max ms': max(cpu),
  };
}

/** /healthz polled as during an upload, with nothing else going on: what the machine itself adds. */
async function idle(server: Server, ms: number) {
  const polling = startPolling(server);
  await sleep(ms);
  return {
    file: '(no upload: idle server, 5 s)',
    'size MB': '-',
    outcome: '-',
    'upload s': '-',
    ...pollColumns(await polling.stop()),
    'peak RSS MB': Math.round((residentBytes(server.child.pid!) ?? 0) / MB),
  };
}

async function measure(server: Server, c: Case) {
  const bytes = await c.file();
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  let peak = residentBytes(server.child.pid!) ?? 0;
  const polling = startPolling(server);
  const memory = setInterval(() => {
    peak = Math.max(peak, residentBytes(server.child.pid!) ?? 0);
  }, 20);

  const form = new FormData();
  form.append('files', new Blob([bytes]), c.uploadAs ?? c.name);
  const started = performance.now();
  let outcome: string;
  try {
    const response = await Promise.race([
      fetch(`${server.url}/api/admin/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}` },
        body: form,
        signal: AbortSignal.timeout(uploadTimeoutMs),
      }),
      server.exited.then((code) => {
        throw new Error(`server died (exit ${code})`);
      }),
    ]);
    const body = (await response.json()) as {
      results?: { status: string; chunks?: number; version?: number; error?: { code: string } }[];
      code?: string;
    };
    const result = body.results?.[0];
    outcome = result
      ? result.error
        ? `${result.status}: ${result.error.code}`
        : `${result.status}, ${result.chunks === undefined ? `version ${result.version}` : `${result.chunks} chunks`}`
      : `HTTP ${response.status} ${body.code ?? ''}`;
  } catch (error) {
    outcome = (error as Error).message;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(memory);
  const polls = await polling.stop();
  return {
    file: `${c.name} (${c.what})`,
    'size MB': round(size / MB, 2),
    outcome,
    'upload s': round(seconds, 1),
    ...pollColumns(polls),
    'peak RSS MB': Math.round(peak / MB),
  };
}

const only = args.only?.split(',');
const rows: Record<string, string | number>[] = [];
let server = await startServer();
try {
  rows.push(await idle(server, 5000));
  for (const c of cases.filter((c) => !only || only.includes(c.name))) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) server = await startServer();
    console.error(`${c.name}…`);
    rows.push(await measure(server, c));
    console.error(JSON.stringify(rows.at(-1)));
  }
} finally {
  server.child.kill('SIGTERM');
  await Promise.race([server.exited, sleep(10_000)]);
  server.child.kill('SIGKILL');
}

const environment = describeEnvironment();
console.log(`\`npx tsx bench/hostile.ts${root === process.cwd() ? '' : ` --root ${root}`}\``);
console.log(`\n${markdownTable(rows)}\n`);
console.log(
  `${environment.date}, ${environment.cpu}, ${environment.memoryGB} GB, load ${environment.loadAverage.join(' ')}, ` +
    `Node ${environment.node}, commit ${environment.commit} with ${environment.changedSources.length} changed files in src/`,
);
