import { z } from '@hono/zod-openapi';

// Fine-tuning: jobs started from the approved Q&A pairs, their progress, their evaluation on the held-out test
// split against the base model, and promotion of the resulting model to the agent's chat model.

export const ModelScore = z.object({
  model: z.string(),
  n: z.number(),
  tokenF1: z.number(),
  citationMatch: z.number().nullable(),
  abstained: z.number(),
  score: z.number(),
});
export type ModelScore = z.infer<typeof ModelScore>;

export const FinetuneEvaluation = z.object({
  tuned: ModelScore,
  base: ModelScore,
  evaluatedAt: z.string(),
});
export type FinetuneEvaluation = z.infer<typeof FinetuneEvaluation>;

export const FinetuneEvent = z.object({
  id: z.string(),
  createdAt: z.string(),
  level: z.string(),
  message: z.string(),
});
export type FinetuneEvent = z.infer<typeof FinetuneEvent>;

export const FinetuneJobView = z
  .object({
    id: z.string(),
    providerJobId: z.string().nullable(),
    baseModel: z.string(),
    status: z.string(),
    resultingModel: z.string().nullable(),
    trainingFileId: z.string().nullable(),
    validationFileId: z.string().nullable(),
    trainingExamples: z.number().nullable(),
    validationExamples: z.number().nullable(),
    estimatedTokens: z.number().nullable(),
    estimatedCostUsd: z.number().nullable(),
    trainedTokens: z.number().nullable(),
    error: z.string().nullable(),
    evaluation: FinetuneEvaluation.nullable(),
    events: z.array(FinetuneEvent),
    startedBy: z.string().nullable(),
    /** Whether this job's model is the agent's chat model now. */
    active: z.boolean(),
    createdAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    promotedAt: z.string().nullable(),
  })
  .openapi('FinetuneJob');
export type FinetuneJobView = z.infer<typeof FinetuneJobView>;

export const FinetuneOverview = z
  .object({
    jobs: z.array(FinetuneJobView),
    /** The chat model promoted by staff, if any (it replaces PARLEY_CHAT_MODEL). */
    activeModel: z.string().nullable(),
    /** Approved pairs per split: what the next export would hold. */
    dataset: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
  })
  .openapi('FinetuneOverview');
export type FinetuneOverview = z.infer<typeof FinetuneOverview>;

export const PromoteRequest = z
  .object({ force: z.boolean().default(false) })
  .openapi('FinetunePromoteRequest');
export type PromoteRequest = z.infer<typeof PromoteRequest>;
