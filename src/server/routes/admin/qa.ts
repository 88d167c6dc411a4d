import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import {
  QaApproveAllResult,
  QaEdits,
  QaGenerateRequest,
  QaGenerateResult,
  QaList,
  QaPairView,
  QaQuery,
} from '../../../contracts/qa.ts';
import { generateQaPairs } from '../../../learn/qa-generate.ts';
import {
  approveAllDrafts,
  approveQaPair,
  countQaPairs,
  editQaPair,
  getQaPair,
  listQaPairs,
  rejectQaPair,
} from '../../../learn/qa-review.ts';
import type { App } from '../../app.ts';
import { ApiError, errorResponses, notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: Q&A pairs'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/qa',
  tags,
  summary: 'Q&A pairs with counts per status and split; the review queue is status=draft',
  request: { query: QaQuery },
  responses: jsonResponse(QaList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/qa/{id}',
  tags,
  summary: 'One Q&A pair',
  request: { params: IdParam },
  responses: jsonResponse(QaPairView),
});

const edit = createRoute({
  method: 'patch',
  path: '/api/admin/qa/{id}',
  tags,
  summary: 'Edit the question or answer (personal data is replaced by placeholders)',
  request: { params: IdParam, body: jsonBody(QaEdits) },
  responses: jsonResponse(QaPairView),
});

const approve = createRoute({
  method: 'post',
  path: '/api/admin/qa/{id}/approve',
  tags,
  summary: 'Approve a pair (optionally with edits); it gets its train/validation/test split',
  request: { params: IdParam, body: { ...jsonBody(QaEdits), required: false } },
  responses: jsonResponse(QaPairView),
});

const reject = createRoute({
  method: 'post',
  path: '/api/admin/qa/{id}/reject',
  tags,
  summary: 'Reject a pair: it is kept so generation does not propose it again, and never exported',
  request: { params: IdParam },
  responses: jsonResponse(QaPairView),
});

const approveAll = createRoute({
  method: 'post',
  path: '/api/admin/qa/approve-all',
  tags,
  summary: 'Approve every draft',
  responses: jsonResponse(QaApproveAllResult),
});

const generate = createRoute({
  method: 'post',
  path: '/api/admin/qa/generate',
  tags,
  summary: 'Propose Q&A pairs from conversations, solutions and documents (a background job)',
  request: { body: { ...jsonBody(QaGenerateRequest), required: false } },
  responses: {
    200: {
      description: 'Generated in the request (no job queue)',
      content: { 'application/json': { schema: QaGenerateResult } },
    },
    202: { description: 'Queued', content: { 'application/json': { schema: QaGenerateResult } } },
    409: { description: 'Generation is already queued', content: errorResponses[400].content },
    ...errorResponses,
  },
});

export function registerAdminQa(app: App): void {
  app.openapi(list, async (c) => {
    const { db } = c.get('services');
    const [pairs, counts] = [await listQaPairs(db, c.req.valid('query')), await countQaPairs(db)];
    return c.json({ pairs, counts }, 200);
  });
  app.openapi(show, async (c) => {
    const pair = await getQaPair(c.get('services').db, c.req.valid('param').id);
    if (!pair) throw notFound('Q&A pair');
    return c.json(pair, 200);
  });
  app.openapi(edit, async (c) => {
    const pair = await editQaPair(
      c.get('services').db,
      c.req.valid('param').id,
      c.req.valid('json'),
      c.get('staff').name,
    );
    if (!pair) throw notFound('Q&A pair');
    return c.json(pair, 200);
  });
  app.openapi(approve, async (c) => {
    // The body is optional: approve as is, or with edits.
    const edits = QaEdits.safeParse(await c.req.json().catch(() => ({})));
    if (!edits.success)
      throw new ApiError('invalid_request', edits.error.issues[0]?.message ?? 'Invalid edits.');
    const pair = await approveQaPair(
      c.get('services').db,
      c.req.valid('param').id,
      c.get('staff').name,
      edits.data,
    );
    if (!pair) throw notFound('Q&A pair');
    return c.json(pair, 200);
  });
  app.openapi(reject, async (c) => {
    const pair = await rejectQaPair(c.get('services').db, c.req.valid('param').id, c.get('staff').name);
    if (!pair) throw notFound('Q&A pair');
    return c.json(pair, 200);
  });
  app.openapi(approveAll, async (c) =>
    c.json({ approved: await approveAllDrafts(c.get('services').db, c.get('staff').name) }, 200),
  );
  app.openapi(generate, async (c) => {
    const body = QaGenerateRequest.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success)
      throw new ApiError('invalid_request', body.error.issues[0]?.message ?? 'Invalid request.');
    const { db, queue, agent } = c.get('services');
    if (queue) {
      const jobId = await queue.enqueue(
        'qa.generate',
        { from: body.data.from },
        { singletonKey: 'qa.generate' },
      );
      if (!jobId) throw new ApiError('conflict', 'Q&A generation is already queued.');
      return c.json({ jobId, report: null }, 202);
    }
    const model = agent.chat.offline ? undefined : { model: agent.chat.model, id: agent.chat.id };
    return c.json({ jobId: null, report: await generateQaPairs({ db, model }, body.data.from) }, 200);
  });
}
