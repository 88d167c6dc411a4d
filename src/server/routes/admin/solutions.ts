import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import { SolutionEdits, SolutionList, SolutionQuery, SolutionView } from '../../../contracts/solutions.ts';
import { editSolution, getSolution, listSolutionViews, reviewSolution } from '../../../support/solutions.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: solutions'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/solutions',
  tags,
  summary: 'Solutions; the review queue is status=suggested',
  request: { query: SolutionQuery },
  responses: jsonResponse(SolutionList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/solutions/{id}',
  tags,
  summary: 'One solution',
  request: { params: IdParam },
  responses: jsonResponse(SolutionView),
});

const edit = createRoute({
  method: 'patch',
  path: '/api/admin/solutions/{id}',
  tags,
  summary: 'Edit a solution (an approved one is re-embedded)',
  request: { params: IdParam, body: jsonBody(SolutionEdits) },
  responses: jsonResponse(SolutionView),
});

const approve = createRoute({
  method: 'post',
  path: '/api/admin/solutions/{id}/approve',
  tags,
  summary: 'Approve (optionally with edits): the agent may then suggest it',
  request: { params: IdParam, body: { ...jsonBody(SolutionEdits), required: false } },
  responses: jsonResponse(SolutionView),
});

const reject = createRoute({
  method: 'post',
  path: '/api/admin/solutions/{id}/reject',
  tags,
  summary: 'Reject a solution',
  request: { params: IdParam },
  responses: jsonResponse(SolutionView),
});

/** Staff review of solutions: the queue, edits, approval and rejection. */
export function registerAdminSolutions(app: App): void {
  app.openapi(list, async (c) => {
    const solutions = await listSolutionViews(c.get('services').db, c.req.valid('query').status);
    return c.json({ solutions }, 200);
  });

  app.openapi(show, async (c) => {
    const solution = await getSolution(c.get('services').db, c.req.valid('param').id);
    if (!solution) throw notFound('Solution');
    return c.json(solution, 200);
  });

  app.openapi(edit, async (c) => {
    const { db, embedder } = c.get('services');
    const { id } = c.req.valid('param');
    const solution = await editSolution(db, embedder, id, c.req.valid('json'), c.get('staff').name);
    if (!solution) throw notFound('Solution');
    return c.json(solution, 200);
  });

  app.openapi(approve, async (c) => {
    const { db, embedder } = c.get('services');
    const review = { decision: 'approve' as const, edits: c.req.valid('json') };
    const solution = await reviewSolution(db, embedder, c.req.valid('param').id, review, c.get('staff').name);
    if (!solution) throw notFound('Solution');
    return c.json(solution, 200);
  });

  app.openapi(reject, async (c) => {
    const { db, embedder } = c.get('services');
    const review = { decision: 'reject' as const };
    const solution = await reviewSolution(db, embedder, c.req.valid('param').id, review, c.get('staff').name);
    if (!solution) throw notFound('Solution');
    return c.json(solution, 200);
  });
}
