import os from 'node:os';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { createAgentDeps } from '../agent/setup.ts';
import type { FinetuneJobView } from '../contracts/finetune.ts';
import { openQueue } from '../jobs/queue.ts';
import {
  buildFinetuneDataset,
  type DatasetEstimate,
  datasetProblem,
  estimateDataset,
  type FinetuneDataset,
  writeFinetuneFiles,
} from '../learn/finetune-export.ts';
import {
  advanceFinetune,
  createFinetuneClient,
  findFinetuneJob,
  isTerminal,
  listFinetuneJobs,
  startFinetune,
} from '../learn/finetune-jobs.ts';
import { promoteFinetune, rollbackChatModel } from '../learn/finetune-promote.ts';
import { baseModelInfo, defaultBaseModel, defaultEpochs } from '../learn/finetune-models.ts';
import { finetuneOverview } from '../learn/finetune-status.ts';
import { positiveInt } from './search.ts';
import { dataDirOption, type Runtime, withRuntime } from './runtime.ts';

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

interface DatasetOptions {
  base: string;
  epochs?: number;
  price?: number;
  maxExampleTokens?: number;
}

const datasetOptions = (cmd: Command) =>
  cmd
    .option('--base <model>', 'base model to fine-tune', defaultBaseModel)
    .option('--epochs <n>', `training epochs (estimate assumes ${defaultEpochs} when not given)`, positiveInt)
    .option(
      '--price <usd>',
      'training price per 1M tokens (overrides the known-models table)',
      positiveNumber,
    )
    .option(
      '--max-example-tokens <n>',
      "longest example allowed (default: the base model's limit)",
      positiveInt,
    );

async function dataset(rt: Runtime, opts: DatasetOptions) {
  const model = baseModelInfo(opts.base, {
    pricePerMillion: opts.price,
    maxExampleTokens: opts.maxExampleTokens,
  });
  const data = await buildFinetuneDataset(rt.database.db, model);
  return { model, data, estimate: estimateDataset(data, model, opts.epochs ?? defaultEpochs) };
}

function printDataset(data: FinetuneDataset, estimate: DatasetEstimate, base: string): void {
  for (const x of data.excluded)
    console.error(`left out pair ${x.pairId} (${x.split}): ${x.problems.join('; ')}`);
  console.log(
    `${estimate.trainExamples} training and ${estimate.validationExamples} validation examples ` +
      `(${data.heldOut} test pairs held out), about ${estimate.tokensPerEpoch.toLocaleString('en')} tokens per epoch.`,
  );
  const cost =
    estimate.costUsd === undefined ? 'price unknown (pass --price)' : `about $${estimate.costUsd.toFixed(2)}`;
  console.log(
    `Training ${base} for ${estimate.epochs} epochs: ${estimate.trainingTokens.toLocaleString('en')} tokens, ${cost}.`,
  );
}

function printJob(j: FinetuneJobView): void {
  const model = j.resultingModel ? ` → ${j.resultingModel}` : '';
  console.log(`${j.id}  ${j.status.padEnd(16)} ${j.baseModel}${model}${j.active ? '  (active)' : ''}`);
  console.log(
    `  provider job ${j.providerJobId ?? '-'}, ${j.trainingExamples ?? 0} training / ${j.validationExamples ?? 0} ` +
      `validation examples, started ${j.createdAt?.slice(0, 16) ?? ''}`,
  );
  if (j.error) console.log(`  error: ${j.error}`);
  const e = j.evaluation;
  if (e) {
    const line = (s: typeof e.tuned) =>
      `score ${s.score.toFixed(3)} (token F1 ${s.tokenF1.toFixed(3)}, citations ${s.citationMatch?.toFixed(3) ?? 'n/a'})`;
    console.log(`  test split (${e.tuned.n} pairs): tuned ${line(e.tuned)}; base ${line(e.base)}`);
  }
  const last = j.events.at(-1);
  if (last) console.log(`  last event: ${last.createdAt.slice(0, 16)} ${last.message}`);
}

export function registerFinetune(program: Command): void {
  const cmd = program
    .command('finetune')
    .description('Fine-tune the chat model on approved Q&A pairs: export, start, status, promote, rollback');

  datasetOptions(
    cmd
      .command('export')
      .description(
        'Write train.jsonl and validation.jsonl (OpenAI chat format) from approved pairs, checked against ' +
          "OpenAI's format rules, with a token count and cost estimate",
      )
      .option('--out <dir>', 'folder to write into', 'finetune'),
  )
    .option('--json', 'print the summary as JSON')
    .option(...dataDirOption)
    .action(async (opts: DatasetOptions & { out: string; json?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const { data, estimate } = await dataset(rt, opts);
        const problem = datasetProblem(data);
        if (problem) throw new Error(problem);
        const files = await writeFinetuneFiles(data, path.resolve(opts.out));
        if (opts.json) {
          return console.log(
            JSON.stringify({ files, ...estimate, heldOut: data.heldOut, excluded: data.excluded }, null, 2),
          );
        }
        printDataset(data, estimate, opts.base);
        console.log(`Wrote ${[files.train, files.validation].filter(Boolean).join(' and ')}.`);
      });
    });

  datasetOptions(
    cmd
      .command('start')
      .description(
        'Upload the dataset and start a fine-tuning job (OpenAI or a compatible server); a background job ' +
          'follows it and evaluates the model when it is done',
      )
      .option('--suffix <text>', 'added to the resulting model name', (v) => v.slice(0, 64)),
  )
    .option(...dataDirOption)
    .action(async (opts: DatasetOptions & { suffix?: string; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        if (!rt.config.openai)
          throw new Error(
            'finetune start needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server).',
          );
        const { data, estimate } = await dataset(rt, opts);
        const result = await startFinetune(
          { db: rt.database.db, client: createFinetuneClient(rt.config.openai) },
          {
            dataset: data,
            estimate,
            baseModel: opts.base,
            suffix: opts.suffix,
            epochs: opts.epochs,
            startedBy: `cli:${os.userInfo().username}`,
          },
        );
        if ('error' in result) throw new Error(result.error);
        printDataset(data, estimate, opts.base);
        const queue = await openQueue(rt.database, { role: 'producer' });
        try {
          await queue.enqueue(
            'finetune.poll',
            { finetuneJobId: result.job.id, intervalSeconds: 60 },
            {
              singletonKey: result.job.id,
            },
          );
        } finally {
          await queue.close();
        }
        console.log(
          `Started fine-tuning job ${result.job.providerJobId} (Parley id ${result.job.id}), status ` +
            `${result.job.status}. A worker follows it; see \`parley finetune status\`.`,
        );
      });
    });

  cmd
    .command('status')
    .description('Fine-tuning jobs: status, events, evaluation, and which model is active')
    .argument('[job]', 'one job (Parley id or provider job id)')
    .option(
      '--refresh',
      'poll the provider now (and evaluate finished jobs) instead of waiting for the worker',
    )
    .option('--json', 'print JSON')
    .option(...dataDirOption)
    .action(
      async (jobId: string | undefined, opts: { refresh?: boolean; json?: boolean; dataDir?: string }) => {
        await withRuntime(opts, async (rt) => {
          const db = rt.database.db;
          if (opts.refresh) await refreshJobs(rt, jobId);
          const overview = await finetuneOverview(db);
          const jobs = jobId
            ? overview.jobs.filter((j) => j.id === jobId || j.providerJobId === jobId)
            : overview.jobs;
          if (jobId && jobs.length === 0) throw new Error(`No fine-tuning job ${jobId}`);
          if (opts.json) return console.log(JSON.stringify({ ...overview, jobs }, null, 2));
          for (const j of jobs) printJob(j);
          if (!jobs.length) console.log('No fine-tuning jobs yet (`parley finetune start`).');
          const d = overview.dataset;
          console.log(
            `\nActive chat model: ${overview.activeModel ?? `${rt.config.agent.chatModel} (PARLEY_CHAT_MODEL)`}. ` +
              `Approved pairs: train ${d.train}, validation ${d.validation}, test ${d.test}.`,
          );
        });
      },
    );

  cmd
    .command('promote <job>')
    .description(
      "Make a fine-tuned model the agent's chat model (refused if it scored below its base model, unless --force)",
    )
    .option('--force', 'promote even without an evaluation or with a lower score')
    .option(...dataDirOption)
    .action(async (jobId: string, opts: { force?: boolean; dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const db = rt.database.db;
        const job = await findFinetuneJob(db, jobId);
        if (!job) throw new Error(`No fine-tuning job ${jobId}`);
        const result = await promoteFinetune(db, job, {
          force: opts.force,
          by: `cli:${os.userInfo().username}`,
        });
        if (!result.ok) throw new Error(result.reason);
        const was = result.previous ?? `${rt.config.agent.chatModel} (PARLEY_CHAT_MODEL)`;
        console.log(
          `${result.model} is now the chat model (was ${was}). Running servers switch to it within seconds.`,
        );
      });
    });

  cmd
    .command('rollback')
    .description('Undo the last promotion: the model it replaced (or PARLEY_CHAT_MODEL) answers again')
    .option(...dataDirOption)
    .action(async (opts: { dataDir?: string }) => {
      await withRuntime(opts, async (rt) => {
        const result = await rollbackChatModel(rt.database.db, { by: `cli:${os.userInfo().username}` });
        if (!result.ok) throw new Error(result.reason);
        const now = result.model ?? `${rt.config.agent.chatModel} (PARLEY_CHAT_MODEL)`;
        console.log(
          `${now} is the chat model again (was ${result.from}). Running servers switch to it within seconds.`,
        );
      });
    });
}

/** Polls unfinished jobs (and evaluates finished, unevaluated ones) in this process. */
async function refreshJobs(rt: Runtime, jobId: string | undefined): Promise<void> {
  const { openai } = rt.config;
  if (!openai)
    throw new Error('--refresh needs OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server).');
  const db = rt.database.db;
  const jobs = jobId
    ? [await findFinetuneJob(db, jobId)].filter((j) => j !== undefined)
    : await listFinetuneJobs(db);
  const deps = {
    db,
    client: createFinetuneClient(openai),
    agent: () => createAgentDeps(rt.config, db, rt.embedder),
    openai,
    settings: rt.config.agent,
  };
  for (const job of jobs) {
    if (isTerminal(job.status) && (job.evaluation || job.status !== 'succeeded')) continue;
    await advanceFinetune(deps, job);
  }
}
