import { createAgentDeps } from '../agent/setup.ts';
import { findSuite, staleSuites, suiteOf } from '../learn/suite-registry.ts';
import { runSuite } from '../learn/suite-run.ts';
import type { JobPayload } from './catalog.ts';
import type { JobQueue } from './queue.ts';
import type { JobOutcome, WorkerDeps } from './worker.ts';

/**
 * Enqueues a run of every registered suite that relies on a document changed since its last run. A suite
 * already waiting for its run is not queued twice (the run job is `stately`, keyed by suite).
 */
export async function enqueueStaleSuites(deps: { db: WorkerDeps['db']; queue: JobQueue }): Promise<number> {
  let queued = 0;
  for (const { suite, changedDocuments } of await staleSuites(deps.db)) {
    const id = await deps.queue.enqueue(
      'eval.suite-run',
      { suiteId: suite.id, trigger: 'document-change', changedDocuments },
      { singletonKey: suite.id },
    );
    if (id) queued++;
  }
  return queued;
}

/** Handlers of the answer test suites' jobs; like the others, they only call services. */
export const evalHandlers = {
  'eval.suite-run': async (payload: JobPayload<'eval.suite-run'>, deps: WorkerDeps): Promise<JobOutcome> => {
    if (!deps.config) {
      const message = "eval.suite-run needs the worker's configuration";
      return { status: 'deadletter', output: { code: 'no_config', message }, summary: message };
    }
    const suite = await findSuite(deps.db, payload.suiteId);
    if (!suite) {
      const message = `suite ${payload.suiteId} is no longer registered`;
      return { status: 'deadletter', output: { code: 'not_found', message }, summary: message };
    }
    const agent = await createAgentDeps(deps.config, deps.db, deps.embedder);
    const { run } = await runSuite(agent, suiteOf(suite), {
      trigger: payload.trigger,
      suiteId: suite.id,
      changedDocuments: payload.changedDocuments,
    });
    return {
      status: 'completed',
      output: { runId: run.id, n: run.n, passed: run.passed, changedAnswers: run.changedAnswers },
      summary: `suite ${suite.name}: ${run.passed}/${run.n} passed, ${run.changedAnswers} answers changed`,
    };
  },
  'eval.suites-due': async (
    _payload: JobPayload<'eval.suites-due'>,
    deps: WorkerDeps,
  ): Promise<JobOutcome> => {
    const queued = await enqueueStaleSuites(deps);
    return { status: 'completed', output: { queued }, summary: `${queued} suites to re-run` };
  },
};
