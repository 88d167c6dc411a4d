import { readActiveChatModel } from '../agent/models/active-model.ts';
import { iso } from '../contracts/primitives.ts';
import type { FinetuneJobView, FinetuneOverview } from '../contracts/finetune.ts';
import type { Db } from '../db/client.ts';
import type { FinetuneJob } from '../db/schema/index.ts';
import { listFinetuneJobs } from './finetune-jobs.ts';
import { countQaPairs } from './qa-review.ts';

/** A job as staff see it; `activeJobId` is the job whose model the agent uses now. */
export function finetuneJobView(job: FinetuneJob, activeJobId: string | undefined): FinetuneJobView {
  return {
    id: job.id,
    providerJobId: job.providerJobId,
    baseModel: job.baseModel,
    status: job.status,
    resultingModel: job.resultingModel,
    trainingFileId: job.trainingFileId,
    validationFileId: job.validationFileId,
    trainingExamples: job.trainingExamples,
    validationExamples: job.validationExamples,
    estimatedTokens: job.estimatedTokens,
    estimatedCostUsd: job.estimatedCostUsd,
    trainedTokens: job.trainedTokens,
    error: job.error,
    evaluation: job.evaluation,
    events: job.events,
    startedBy: job.startedBy,
    active: job.id === activeJobId,
    createdAt: iso(job.createdAt),
    finishedAt: iso(job.finishedAt),
    promotedAt: iso(job.promotedAt),
  };
}

/** Every job, the promoted chat model, and the approved pairs the next export would use. */
export async function finetuneOverview(db: Db): Promise<FinetuneOverview> {
  const [jobs, active, counts] = await Promise.all([
    listFinetuneJobs(db),
    readActiveChatModel(db),
    countQaPairs(db),
  ]);
  return {
    jobs: jobs.map((j) => finetuneJobView(j, active?.finetuneJobId)),
    activeModel: active?.model ?? null,
    dataset: { train: counts.train, validation: counts.validation, test: counts.test },
  };
}
