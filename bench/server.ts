/**
 * The HTTP server under load, and how fast it starts.
 *
 *   npx tsx bench/server.ts load [--sessions 50] [--seconds 60] [--backend pglite|postgres]
 *   npx tsx bench/server.ts startup [--runs 5] [--backend pglite|postgres]
 *
 * `load` starts `parley serve` as its own process on a demo-seeded database with the offline answer model,
 * then runs N concurrent chat sessions against POST /api/chat on loopback for the given time: each session is
 * one visitor holding one conversation, sending its next question as soon as the previous answer has streamed
 * to the end. It reports requests per second, latency to the last byte and to the first byte (p50/p95), errors,
 * and after stopping the server checks that every message sent was stored.
 *
 * `startup` times `parley serve` from process start to the first 200 from /readyz, on an existing data
 * directory (already migrated and seeded, web app already built).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';
import { messages } from '../src/db/schema/index.ts';
import { describeEnvironment } from './environment.ts';
import { markdownTable, median, percentile, round } from './stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const [mode = 'load'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== mode),
  options: {
    sessions: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '5' },
    backend: { type: 'string', default: 'pglite' },
  },
});
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

const questions = [
  'My earbuds will not pair with my phone',
  'How long is the warranty on headphones?',
  'How do I return a product?',
  'How long does a refund take?',
  'Do you ship to Canada?',
  'How do I reset my smart plug?',
  'The watch does not charge',
  'Can I change the delivery address of my order?',
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Target {
  env: Record<string, string>;
  args: string[];
  cleanup(): Promise<void>;
  countUserMessages(): Promise<number>;
}

/** A data directory (PGlite) or a fresh server database, migrated and seeded once by a first `serve`. */
async function prepareTarget(backend: string): Promise<Target> {
  if (backend === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-server-'));
    return {
      env: {},
      args: ['--data-dir', dir],
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
      countUserMessages: async () => {
        const database = await openDatabase({ dataDir: dir });
        try {
          const [row] = await database.db
            .select({ n: count() })
            .from(messages)
            .where(eq(messages.role, 'user'));
          return row!.n;
        } finally {
          await database.close();
        }
      },
    };
  }
  const name = `parley_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    args: [],
    cleanup: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
    countUserMessages: async () => {
      const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
      try {
        const [row] = await database.db
          .select({ n: count() })
          .from(messages)
          .where(eq(messages.role, 'user'));
        return row!.n;
      } finally {
        await database.close();
      }
    },
  };
}

async function startServe(
  target: Target,
  port: number,
  extra: string[] = [],
): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/parley.js', 'serve', '--port', String(port), ...target.args, ...extra],
    {
      cwd: root,
      env: {
        ...process.env,
        ...target.env,
        OPENAI_API_KEY: '',
        PARLEY_LOG_LEVEL: 'warn',
        PARLEY_RATE_LIMIT_IP: '1000000',
        PARLEY_RATE_LIMIT_CUSTOMER: '1000000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`parley serve exited:\n${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return { child, readyMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stopServe(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(): Promise<void> {
  const sessions = Number(args.sessions);
  const seconds = Number(args.seconds);
  const target = await prepareTarget(args.backend);
  try {
    // First start migrates and seeds the demo company; it is not part of the measurement.
    const port = await freePort();
    const { child } = await startServe(target, port);
    const base = `http://127.0.0.1:${port}`;
    const before = 0;
    const latencies: number[] = [];
    const firstBytes: number[] = [];
    let sent = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const deadline = performance.now() + seconds * 1000;
    const session = async (n: number) => {
      const visitor = `vis_${crypto.randomBytes(16).toString('base64url')}`;
      const conversation = crypto.randomUUID();
      for (let turn = 0; performance.now() < deadline; turn++) {
        const text = questions[(n + turn) % questions.length]!;
        const started = performance.now();
        sent++;
        try {
          const res = await fetch(`${base}/api/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-parley-visitor': visitor },
            body: JSON.stringify({
              id: conversation,
              messages: [{ id: `m${turn}`, role: 'user', parts: [{ type: 'text', text }] }],
            }),
          });
          const reader = res.body!.getReader();
          let first = true;
          let body = '';
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (first) {
              firstBytes.push(performance.now() - started);
              first = false;
            }
            body += decoder.decode(value, { stream: true });
          }
          if (!res.ok || !body.includes('"type":"finish"') || body.includes('"finishReason":"error"')) {
            errors++;
            if (errorSamples.length < 3) errorSamples.push(`${res.status} ${body.slice(0, 200)}`);
          } else {
            latencies.push(performance.now() - started);
          }
        } catch (error) {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(String(error));
        }
      }
    };
    const wall = performance.now();
    await Promise.all(Array.from({ length: sessions }, (_, n) => session(n)));
    const elapsed = (performance.now() - wall) / 1000;
    await stopServe(child);
    const stored = (await target.countUserMessages()) - before;
    const env = describeEnvironment();
    console.error(JSON.stringify({ env, errorSamples }));
    console.log(
      markdownTable([
        {
          backend: args.backend,
          sessions,
          seconds: round(elapsed),
          requests: sent,
          'req/s': round(latencies.length / elapsed),
          'p50 ms': round(median(latencies)),
          'p95 ms': round(percentile(latencies, 95)),
          'first byte p50 / p95 ms': `${round(median(firstBytes))} / ${round(percentile(firstBytes, 95))}`,
          errors,
          'user messages stored': stored,
          'all stored': stored === sent ? 'yes' : 'NO',
          'load avg': env.loadAverage.join(' '),
        },
      ]),
    );
  } finally {
    await target.cleanup();
  }
}

async function startup(): Promise<void> {
  const target = await prepareTarget(args.backend);
  try {
    const port = await freePort();
    const first = await startServe(target, port);
    await stopServe(first.child);
    const times: number[] = [];
    for (let i = 0; i < Number(args.runs); i++) {
      const { child, readyMs } = await startServe(target, port, ['--no-seed']);
      times.push(readyMs);
      await stopServe(child);
      console.error(JSON.stringify({ run: i + 1, readyMs: round(readyMs) }));
    }
    const env = describeEnvironment();
    console.error(JSON.stringify(env));
    console.log(
      markdownTable([
        {
          backend: args.backend,
          runs: times.length,
          'median s': round(median(times) / 1000, 2),
          'min s': round(Math.min(...times) / 1000, 2),
          'max s': round(Math.max(...times) / 1000, 2),
          'load avg': env.loadAverage.join(' '),
        },
      ]),
    );
  } finally {
    await target.cleanup();
  }
}

if (mode === 'startup') await startup();
else await load();
