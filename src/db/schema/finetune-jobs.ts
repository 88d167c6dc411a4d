import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';

export const finetuneJobs = pgTable('finetune_jobs', {
  id: id(),
  providerJobId: text('provider_job_id').unique(),
  baseModel: text('base_model').notNull(),
  trainingFileId: text('training_file_id'),
  validationFileId: text('validation_file_id'),
  status: text('status').notNull().default('created'),
  resultingModel: text('resulting_model'),
  evaluation: jsonb('evaluation').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}).enableRLS();

export type FinetuneJob = typeof finetuneJobs.$inferSelect;
