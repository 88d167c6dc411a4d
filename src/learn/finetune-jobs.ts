import { desc, eq, or } from 'drizzle-orm';
import OpenAI, { toFile } from 'openai';
import type { AgentDeps } from '../agent/agent.ts';
import { createChatModel } from '../agent/models/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import {
  type FinetuneEvaluation,
  type FinetuneEvent,
  type FinetuneJob,
  finetuneJobs,
  finetuneTerminalStatuses,
} from '../db/schema/index.ts';
import { type DatasetEstimate, datasetProblem, type FinetuneDataset, toJsonl } from './finetune-export.ts';
import { evaluateModelOnPairs } from './model-eval.ts';
import { approvedPairs } from './qa-review.ts';

/** The OpenAI SDK client for the configured key and base URL: OpenAI, or any server offering the same API. */
export function createFinetuneClient(openai: NonNullable<Config['openai']>): OpenAI {
  return new OpenAI({ apiKey: openai.apiKey, baseURL: openai.baseURL, maxRetries: 2 });
}

export interface StartFinetuneInput {
  dataset: FinetuneDataset;
  estimate: DatasetEstimate;
  baseModel: string;
  /** Up to 64 characters the provider adds to the resulting model's name. */
  suffix?: string | undefined;
  /** Training epochs; the provider chooses when absent. */
  epochs?: number | undefined;
  startedBy: string;
}

/**
 * Uploads the training (and validation) file with the Files API (purpose `fine-tune`), creates the fine-tuning
 * job and records it. A dataset too small to train on is refused before anything is uploaded.
 */
export async function startFinetune(
  deps: { db: Db; client: OpenAI },
  input: StartFinetuneInput,
): Promise<{ job: FinetuneJob } | { error: string }> {
  const problem = datasetProblem(input.dataset);
  if (problem) return { error: problem };
  const upload = async (name: string, text: string) =>
    deps.client.files.create({ file: await toFile(Buffer.from(text, 'utf8'), name), purpose: 'fine-tune' });
  const training = await upload('train.jsonl', toJsonl(input.dataset.train));
  const validation = input.dataset.validation.length
    ? await upload('validation.jsonl', toJsonl(input.dataset.validation))
    : undefined;
  const created = await deps.client.fineTuning.jobs.create({
    model: input.baseModel,
    training_file: training.id,
    ...(validation ? { validation_file: validation.id } : {}),
    ...(input.suffix ? { suffix: input.suffix } : {}),
    ...(input.epochs
      ? { method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: input.epochs } } } }
      : {}),
  });
  const [job] = await deps.db
    .insert(finetuneJobs)
    .values({
      providerJobId: created.id,
      baseModel: input.baseModel,
      trainingFileId: training.id,
      validationFileId: validation?.id ?? null,
      status: created.status,
      trainingExamples: input.dataset.train.length,
      validationExamples: input.dataset.validation.length,
      estimatedTokens: input.estimate.trainingTokens,
      estimatedCostUsd: input.estimate.costUsd ?? null,
      startedBy: input.startedBy,
    })
    .returning();
  return { job: job! };
}

/** Whether the provider is done with a job (successfully or not). */
export function isTerminal(status: string): boolean {
  return (finetuneTerminalStatuses as readonly string[]).includes(status);
}

/** The most events kept per job: enough for a training run's progress, small enough to show at once. */
const maxEvents = 200;

/**
 * Reads a job's status and new events from the provider and records them: status, resulting model, trained
 * tokens, error and finish time.
 */
export async function pollFinetune(deps: { db: Db; client: OpenAI }, job: FinetuneJob): Promise<FinetuneJob> {
  if (!job.providerJobId) return job;
  const remote = await deps.client.fineTuning.jobs.retrieve(job.providerJobId);
  const page = await deps.client.fineTuning.jobs.listEvents(job.providerJobId, { limit: 50 });
  const known = new Set(job.events.map((e) => e.id));
  const fresh: FinetuneEvent[] = page.data
    .filter((e) => !known.has(e.id))
    .map((e) => ({
      id: e.id,
      createdAt: new Date(e.created_at * 1000).toISOString(),
      level: e.level,
      message: e.message,
    }));
  const events = [...job.events, ...fresh]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(-maxEvents);
  const [row] = await deps.db
    .update(finetuneJobs)
    .set({
      status: remote.status,
      resultingModel: remote.fine_tuned_model ?? job.resultingModel,
      trainedTokens: remote.trained_tokens ?? job.trainedTokens,
      error: remote.error?.message ?? job.error,
      finishedAt: remote.finished_at ? new Date(remote.finished_at * 1000) : job.finishedAt,
      events,
      lastPolledAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(finetuneJobs.id, job.id))
    .returning();
  return row!;
}

/**
 * Runs the held-out test split against the fine-tuned model and its base model through the agent (see
 * `evaluateModelOnPairs`) and stores both scores on the job.
 */
export async function evaluateFinetune(
  deps: { agent: AgentDeps; openai: NonNullable<Config['openai']>; settings: Config['agent'] },
  job: FinetuneJob,
): Promise<FinetuneEvaluation> {
  if (!job.resultingModel) throw new Error(`Fine-tuning job ${job.id} has no resulting model yet.`);
  const pairs = (await approvedPairs(deps.agent.db, 'test')).map((p) => ({
    id: p.id,
    question: p.question,
    answer: p.answer,
    citations: p.citations,
  }));
  const withModel = (model: string): AgentDeps => ({
    ...deps.agent,
    chat: createChatModel({ openai: deps.openai, agent: { ...deps.settings, chatModel: model } }),
  });
  const { results: _tuned, ...tuned } = await evaluateModelOnPairs(withModel(job.resultingModel), pairs);
  const { results: _base, ...base } = await evaluateModelOnPairs(withModel(job.baseModel), pairs);
  const evaluation: FinetuneEvaluation = { tuned, base, evaluatedAt: new Date().toISOString() };
  await deps.agent.db
    .update(finetuneJobs)
    .set({ evaluation, updatedAt: new Date() })
    .where(eq(finetuneJobs.id, job.id));
  return evaluation;
}

/** Fine-tuning jobs, newest first. */
export async function listFinetuneJobs(db: Db): Promise<FinetuneJob[]> {
  return db.select().from(finetuneJobs).orderBy(desc(finetuneJobs.createdAt));
}

/** A job by Parley's id or the provider's job id (`ftjob-…`). */
export async function findFinetuneJob(db: Db, id: string): Promise<FinetuneJob | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const [row] = await db
    .select()
    .from(finetuneJobs)
    .where(
      isUuid
        ? or(eq(finetuneJobs.id, id), eq(finetuneJobs.providerJobId, id))
        : eq(finetuneJobs.providerJobId, id),
    );
  return row;
}

export interface AdvanceDeps {
  db: Db;
  client: OpenAI;
  /** The agent (database, embedder, settings) the evaluation asks through; its chat model is replaced. */
  agent: () => Promise<AgentDeps>;
  openai: NonNullable<Config['openai']>;
  settings: Config['agent'];
}

/**
 * One step of following a job: poll the provider; once it has succeeded, evaluate the model (once). Returns the
 * job as recorded and whether there is nothing more to follow.
 */
export async function advanceFinetune(
  deps: AdvanceDeps,
  job: FinetuneJob,
): Promise<{ job: FinetuneJob; done: boolean }> {
  let current = isTerminal(job.status) ? job : await pollFinetune(deps, job);
  if (current.status === 'succeeded' && !current.evaluation && current.resultingModel) {
    const evaluation = await evaluateFinetune(
      { agent: await deps.agent(), openai: deps.openai, settings: deps.settings },
      current,
    );
    current = { ...current, evaluation };
  }
  return { job: current, done: isTerminal(current.status) };
}
