// The /healthz poller of `hostile.ts`, on a thread of its own: on the benchmark's own thread, sending a 12 MB upload
// (encoding it, collecting its garbage) held the poller back by up to 240 ms, which counted against the server.
//
// Polls every 20 ms, one request at a time (a frozen event loop shows as one long request), until told to stop,
// then posts what it saw. Besides each poll's time it records the CPU time the server's main thread (the event
// loop, which the embedded database shares) spent meanwhile, from the kernel's scheduler statistics: on a loaded
// machine a poll also waits for the server to get a CPU, and the CPU time is what a busy event loop costs a poll
// by itself, about what the poll would take on a quiet machine.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export interface PollerOptions {
  url: string;
  pid: number;
  timeoutMs: number;
}

export interface PollReport {
  latencies: number[];
  /** The server main thread's CPU milliseconds during each poll, where /proc gives them. */
  cpu: number[];
  failed: number;
}

function mainThreadCpuMs(pid: number): number | undefined {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

async function poll({ url, pid, timeoutMs }: PollerOptions, stopped: () => boolean): Promise<PollReport> {
  const report: PollReport = { latencies: [], cpu: [], failed: 0 };
  while (!stopped()) {
    const [started, before] = [performance.now(), mainThreadCpuMs(pid)];
    const ok = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
      (r) => r.ok,
      () => false,
    );
    // A failed poll (the server gone, a connection dropped) still counts the time it took.
    report.latencies.push(performance.now() - started);
    const after = mainThreadCpuMs(pid);
    if (before !== undefined && after !== undefined) report.cpu.push(after - before);
    if (!ok) report.failed++;
    if (!ok && !fs.existsSync(`/proc/${pid}`)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return report;
}

const port = parentPort;
if (port) {
  let stopped = false;
  port.once('message', () => {
    stopped = true;
  });
  void poll(workerData as PollerOptions, () => stopped).then((report) => {
    port.postMessage(report);
    port.close();
  });
}
