import { createAgentDeps } from '../agent/setup.ts';
import { createChatModel } from '../agent/models/index.ts';
import { advanceFinetune, createFinetuneClient, findFinetuneJob } from '../learn/finetune-jobs.ts';
import { generateQaPairs } from '../learn/qa-generate.ts';
import type { JobPayload } from './catalog.ts';
import type { JobOutcome, WorkerDeps } from './worker.ts';

const noConfig = (job: string): JobOutcome => {
  const message = `${job} needs the worker's configuration`;
  return { status: 'deadletter', output: { code: 'no_config', message }, summary: message };
};

/** Handlers of the learning loop's jobs; like the others, they only call services. */
export const learnHandlers = {
  'qa.generate': async (payload: JobPayload<'qa.generate'>, deps: WorkerDeps): Promise<JobOutcome> => {
    if (!deps.config) return noConfig('qa.generate');
    const chat = deps.config.openai ? createChatModel(deps.config) : undefined;
    const report = await generateQaPairs(
      { db: deps.db, model: chat && { model: chat.model, id: chat.id } },
      payload.from,
    );
    return {
      status: 'completed',
      output: { ...report, ids: report.ids.length },
      summary: `${report.created} new Q&A drafts, ${report.replaced} replaced, ${report.duplicates} duplicates`,
    };
  },
  'finetune.poll': async (payload: JobPayload<'finetune.poll'>, deps: WorkerDeps): Promise<JobOutcome> => {
    const { config } = deps;
    if (!config) return noConfig('finetune.poll');
    const job = await findFinetuneJob(deps.db, payload.finetuneJobId);
    if (!job) {
      const message = `fine-tuning job ${payload.finetuneJobId} is not recorded`;
      return { status: 'deadletter', output: { code: 'not_found', message }, summary: message };
    }
    if (!config.openai) {
      const message = 'OPENAI_API_KEY is not set for the worker: it cannot follow fine-tuning jobs';
      return { status: 'deadletter', output: { code: 'no_api_key', message }, summary: message };
    }
    const { job: current, done } = await advanceFinetune(
      {
        db: deps.db,
        client: createFinetuneClient(config.openai),
        agent: () => createAgentDeps(config, deps.db, deps.embedder),
        openai: config.openai,
        settings: config.agent,
      },
      job,
    );
    if (!done) {
      await deps.queue.enqueue('finetune.poll', payload, {
        singletonKey: job.id,
        startAfter: new Date(Date.now() + payload.intervalSeconds * 1000),
      });
    }
    const scores = current.evaluation
      ? ` (test score ${current.evaluation.tuned.score} vs base ${current.evaluation.base.score})`
      : '';
    return {
      status: 'completed',
      output: {
        status: current.status,
        model: current.resultingModel,
        evaluated: Boolean(current.evaluation),
      },
      summary: `fine-tuning ${current.providerJobId}: ${current.status}${scores}`,
    };
  },
};
