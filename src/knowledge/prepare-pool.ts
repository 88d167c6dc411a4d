import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ExtractionError, type ExtractionErrorCode, type RawDocument } from './extract/index.ts';
import { type PrepareOptions, type PreparedDocument } from './prepare.ts';
import { type PrepareReply, type PrepareTask } from './prepare-thread.ts';

// Old-generation heap of one preparing thread. A document that needs more is refused (`too_large`) instead of
// taking the server down: a DOCX zip bomb used to run the whole process out of memory.
const threadHeapMb = 1024;

const threadFile = new URL('./prepare-thread.ts', import.meta.url);

interface Job {
  task: PrepareTask;
  timeoutMs: number;
  resolve: (prepared: PreparedDocument) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Worker threads that extract and chunk documents, so that a large or hostile file never blocks the event loop
 * (the server's health checks and chat streams). Threads start on first use, stay for the next document, and do
 * not keep the process alive when idle. A thread that overruns the time limit is stopped, and one that runs out
 * of memory is replaced: both fail that document alone, as `too_large`.
 */
export class PreparationPool {
  private readonly threads = new Set<Thread>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  /**
   * Extracts and chunks `raw` (and embeds it, with `localEmbedding`) on a thread; rejects with `ExtractionError` for
   * anything wrong with the document. The thread takes `raw.bytes` over: the caller must not use them afterwards.
   */
  prepare(raw: RawDocument, options: PrepareOptions): Promise<PreparedDocument> {
    return new Promise((resolve, reject) => {
      const task: PrepareTask = { id: this.nextId++, raw: { ...raw, bytes: ownBytes(raw.bytes) }, options };
      this.queue.push({ task, timeoutMs: options.limits.timeoutMs, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread (their documents fail). */
  async close(): Promise<void> {
    await Promise.all([...this.threads].map((t) => this.retire(t, new Error('preparation threads closed'))));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = [...this.threads].find((t) => !t.job) ?? this.spawn();
      if (!thread) return;
      this.start(thread, this.queue.shift()!);
    }
  }

  private spawn(): Thread | undefined {
    if (this.threads.size >= this.size) return undefined;
    const [entry, evaluate] = workerScript(threadFile);
    const worker = new Worker(entry, {
      eval: evaluate,
      resourceLimits: { maxOldGenerationSizeMb: threadHeapMb },
    });
    const thread: Thread = { worker, job: undefined, timer: undefined };
    this.threads.add(thread);
    worker.on('message', (reply: PrepareReply) => this.finish(thread, reply));
    worker.on('error', (error: Error & { code?: string }) => {
      const name = thread.job?.task.raw.name ?? 'a document';
      void this.retire(
        thread,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ExtractionError(
              'too_large',
              `${name}: extracting it needs more than ${threadHeapMb} MB of memory; is it a decompression bomb?`,
            )
          : error,
      );
    });
    worker.on('exit', (code) => {
      void this.retire(thread, new Error(`the preparation thread exited (code ${code})`));
    });
    worker.unref();
    return thread;
  }

  private start(thread: Thread, job: Job): void {
    thread.job = job;
    thread.worker.ref();
    thread.timer = setTimeout(() => {
      const seconds = Math.round(job.timeoutMs / 100) / 10;
      void this.retire(
        thread,
        new ExtractionError(
          'too_large',
          `${job.task.raw.name}: extraction took longer than ${seconds} s (PARLEY_EXTRACT_TIMEOUT_S)`,
        ),
      );
    }, job.timeoutMs);
    thread.worker.postMessage(job.task, [job.task.raw.bytes.buffer as ArrayBuffer]);
  }

  private finish(thread: Thread, reply: PrepareReply): void {
    const job = thread.job;
    if (!job || job.task.id !== reply.id) return;
    clearTimeout(thread.timer);
    thread.job = undefined;
    thread.worker.unref();
    if (reply.ok) job.resolve(reply.prepared);
    else if (reply.code) job.reject(new ExtractionError(reply.code as ExtractionErrorCode, reply.message));
    else job.reject(new Error(reply.message));
    this.dispatch();
  }

  /** Removes a thread, failing its document with `error`, and lets the queue go on with a fresh one. */
  private async retire(thread: Thread, error: Error): Promise<void> {
    if (!this.threads.delete(thread)) return;
    clearTimeout(thread.timer);
    const job = thread.job;
    thread.job = undefined;
    job?.reject(error);
    this.dispatch();
    await thread.worker.terminate();
  }
}

/**
 * Bytes the thread can own: these, when they are a whole buffer of their own (handed over, not copied: copying a
 * large upload on this thread took tens of milliseconds under load); otherwise a copy of just them, as a view into a
 * larger buffer (Node's pool of small Buffers) must be neither cloned whole nor transferred away.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}

/**
 * The worker's entry. Parley runs its TypeScript through tsx (`bin/parley.js`), and a worker thread does not
 * inherit the hooks registered in the main thread, so a `.ts` entry registers tsx first. The same holds under
 * vitest, whose transforms do not reach worker threads either.
 */
function workerScript(file: URL): [entry: string | URL, evaluate: boolean] {
  if (!file.pathname.endsWith('.ts')) return [file, false];
  const tsx = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsx)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return [code, true];
}

let shared: PreparationPool | undefined;

/**
 * Extracts and chunks (and locally embeds) a document on the process's shared preparation threads (half the cores, at least one, at
 * most four).
 */
export function prepareOffThread(raw: RawDocument, options: PrepareOptions): Promise<PreparedDocument> {
  shared ??= new PreparationPool(Math.min(4, Math.max(1, Math.floor(os.availableParallelism() / 2))));
  return shared.prepare(raw, options);
}
