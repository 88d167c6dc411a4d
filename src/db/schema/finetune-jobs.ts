import { integer, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import type { FinetuneEvaluation, FinetuneEvent, ModelScore } from '../../contracts/finetune.ts';
import { createdAt, id, updatedAt } from './columns.ts';

export const finetuneTerminalStatuses = ['succeeded', 'failed', 'cancelled'] as const;

export type { FinetuneEvaluation, FinetuneEvent, ModelScore };

export const finetuneJobs = pgTable('finetune_jobs', {
  id: id(),
  providerJobId: text('provider_job_id').unique(),
  baseModel: text('base_model').notNull(),
  trainingFileId: text('training_file_id'),
  validationFileId: text('validation_file_id'),
  /** The provider's status (validating_files, queued, running, succeeded, failed, cancelled), or ours before it. */
  status: text('status').notNull().default('created'),
  resultingModel: text('resulting_model'),
  evaluation: jsonb('evaluation').$type<FinetuneEvaluation>(),
  trainingExamples: integer('training_examples'),
  validationExamples: integer('validation_examples'),
  /** Estimated training tokens (all epochs) and cost when the job was started. */
  estimatedTokens: integer('estimated_tokens'),
  estimatedCostUsd: real('estimated_cost_usd'),
  /** What the provider reports once training is done. */
  trainedTokens: integer('trained_tokens'),
  events: jsonb('events').$type<FinetuneEvent[]>().notNull().default([]),
  error: text('error'),
  startedBy: text('started_by'),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  promotedAt: timestamp('promoted_at', { withTimezone: true }),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}).enableRLS();

export type FinetuneJob = typeof finetuneJobs.$inferSelect;
