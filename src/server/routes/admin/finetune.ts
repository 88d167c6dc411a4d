import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import { FinetuneJobView, FinetuneOverview, PromoteRequest } from '../../../contracts/finetune.ts';
import { findFinetuneJob } from '../../../learn/finetune-jobs.ts';
import { promoteFinetune, rollbackChatModel } from '../../../learn/finetune-promote.ts';
import { finetuneJobView, finetuneOverview } from '../../../learn/finetune-status.ts';
import type { App } from '../../app.ts';
import { ApiError, notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: fine-tuning'];

const overview = createRoute({
  method: 'get',
  path: '/api/admin/finetune',
  tags,
  summary: 'Fine-tuning jobs with their events and evaluations, the promoted model, and the dataset size',
  responses: jsonResponse(FinetuneOverview),
});

const promote = createRoute({
  method: 'post',
  path: '/api/admin/finetune/{id}/promote',
  tags,
  summary:
    "Make a job's model the agent's chat model (refused below the base model's test score unless force); " +
    'running servers and workers answer with it from their next turn (other replicas within seconds)',
  request: { params: IdParam, body: { ...jsonBody(PromoteRequest), required: false } },
  responses: jsonResponse(FinetuneJobView),
});

const rollback = createRoute({
  method: 'post',
  path: '/api/admin/finetune/rollback',
  tags,
  summary:
    'Undo the last promotion: the model it replaced (or PARLEY_CHAT_MODEL) answers again, from the next turn ' +
    '(other replicas within seconds)',
  responses: jsonResponse(FinetuneOverview),
});

export function registerAdminFinetune(app: App): void {
  app.openapi(overview, async (c) => c.json(await finetuneOverview(c.get('services').db), 200));
  app.openapi(promote, async (c) => {
    const body = PromoteRequest.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success)
      throw new ApiError('invalid_request', body.error.issues[0]?.message ?? 'Invalid request.');
    const { db } = c.get('services');
    const job = await findFinetuneJob(db, c.req.valid('param').id);
    if (!job) throw notFound('Fine-tuning job');
    const result = await promoteFinetune(db, job, {
      force: body.data.force,
      by: c.get('staff').name,
    });
    if (!result.ok) throw new ApiError('conflict', result.reason);
    return c.json(finetuneJobView(result.job, result.job.id), 200);
  });
  app.openapi(rollback, async (c) => {
    const { db } = c.get('services');
    const result = await rollbackChatModel(db, { by: c.get('staff').name });
    if (!result.ok) throw new ApiError('conflict', result.reason);
    return c.json(await finetuneOverview(db), 200);
  });
}
