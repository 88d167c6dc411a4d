import fs from 'node:fs/promises';
import path from 'node:path';
import { buildInstructions } from '../agent/prompt.ts';
import type { Db } from '../db/client.ts';
import type { QaPair } from '../db/schema/index.ts';
import { companyProfile } from '../support/company-profile.ts';
import { exampleProblems, estimateExampleTokens, type FtExample, pairToExample } from './finetune-format.ts';
import { type BaseModelInfo, estimateTrainingCost } from './finetune-models.ts';
import { agentToolDefinitions } from './finetune-tools.ts';
import { approvedPairs } from './qa-review.ts';

/** OpenAI refuses a training file with fewer examples than this. */
export const minTrainingExamples = 10;

export interface ExcludedExample {
  pairId: string;
  split: 'train' | 'validation';
  problems: string[];
}

export interface FinetuneDataset {
  train: FtExample[];
  validation: FtExample[];
  /** The pair each example came from, in the same order. */
  trainPairIds: string[];
  validationPairIds: string[];
  /** Examples left out because they break a format rule (e.g. a transcript over the token limit). */
  excluded: ExcludedExample[];
  /** Approved test-split pairs, held out of training for evaluation. */
  heldOut: number;
  /** Estimated tokens of one pass over each file. */
  trainTokens: number;
  validationTokens: number;
}

/**
 * The fine-tuning dataset from approved Q&A pairs: the train split becomes the training file and the
 * validation split the validation file; the test split is held out. Each example is a reviewed exchange (see
 * `pairToExample`) under the agent's own instructions; examples breaking a format rule are left out and listed.
 */
export async function buildFinetuneDataset(db: Db, model: BaseModelInfo): Promise<FinetuneDataset> {
  const company = await companyProfile(db);
  const tools = await agentToolDefinitions();
  const system = (pair: QaPair) =>
    buildInstructions({
      company,
      customer: undefined,
      preferences: {},
      earlierConversations: [],
      conversationSummary: null,
      handedOff: false,
      today: pair.createdAt,
    });
  const excluded: ExcludedExample[] = [];
  const build = (pairs: QaPair[], split: 'train' | 'validation') => {
    const examples: FtExample[] = [];
    const ids: string[] = [];
    for (const pair of pairs) {
      const example = pairToExample(pair, system(pair), tools);
      const problems = exampleProblems(example, model.maxExampleTokens);
      if (problems.length) excluded.push({ pairId: pair.id, split, problems });
      else {
        examples.push(example);
        ids.push(pair.id);
      }
    }
    return { examples, ids };
  };
  const train = build(await approvedPairs(db, 'train'), 'train');
  const validation = build(await approvedPairs(db, 'validation'), 'validation');
  const sum = (examples: FtExample[]) => examples.reduce((n, e) => n + estimateExampleTokens(e), 0);
  return {
    train: train.examples,
    validation: validation.examples,
    trainPairIds: train.ids,
    validationPairIds: validation.ids,
    excluded,
    heldOut: (await approvedPairs(db, 'test')).length,
    trainTokens: sum(train.examples),
    validationTokens: sum(validation.examples),
  };
}

/** Why a dataset cannot be used for fine-tuning, or undefined when it can. */
export function datasetProblem(dataset: Pick<FinetuneDataset, 'train'>): string | undefined {
  if (dataset.train.length < minTrainingExamples) {
    return (
      `Fine-tuning needs at least ${minTrainingExamples} training examples; there are ${dataset.train.length}. ` +
      'Generate and approve more Q&A pairs (parley qa generate, parley qa approve).'
    );
  }
  return undefined;
}

/** Examples as JSON Lines, one `{"messages": [...]}` object per line. */
export function toJsonl(examples: FtExample[]): string {
  return examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length ? '\n' : '');
}

/** Writes `train.jsonl` and, when there are validation examples, `validation.jsonl` into `dir`. */
export async function writeFinetuneFiles(
  dataset: FinetuneDataset,
  dir: string,
): Promise<{ train: string; validation: string | undefined }> {
  await fs.mkdir(dir, { recursive: true });
  const train = path.join(dir, 'train.jsonl');
  await fs.writeFile(train, toJsonl(dataset.train));
  let validation: string | undefined;
  if (dataset.validation.length) {
    validation = path.join(dir, 'validation.jsonl');
    await fs.writeFile(validation, toJsonl(dataset.validation));
  }
  return { train, validation };
}

export interface DatasetEstimate {
  trainExamples: number;
  validationExamples: number;
  tokensPerEpoch: number;
  epochs: number;
  /** Training tokens billed: tokens per epoch × epochs. */
  trainingTokens: number;
  costUsd: number | undefined;
}

/** Token count and cost estimate of training on a dataset. */
export function estimateDataset(
  dataset: FinetuneDataset,
  model: BaseModelInfo,
  epochs: number,
): DatasetEstimate {
  return {
    trainExamples: dataset.train.length,
    validationExamples: dataset.validation.length,
    tokensPerEpoch: dataset.trainTokens,
    epochs,
    trainingTokens: dataset.trainTokens * epochs,
    costUsd: estimateTrainingCost(dataset.trainTokens, epochs, model),
  };
}
