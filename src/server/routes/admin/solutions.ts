import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { type Solution, solutions, solutionStatuses } from '../../../db/schema/index.ts';
import { approveSolution, listSolutions, rejectSolution } from '../../../support/solutions.ts';
import type { App } from '../../app.ts';
import { ApiError, notFound } from '../../errors.ts';
import { IdParam, iso, jsonBody, jsonResponse } from './common.ts';

const tags = ['Admin: solutions'];

const SolutionView = z
  .object({
    id: z.string(),
    problem: z.string(),
    resolution: z.string(),
    product: z.string().nullable(),
    conversationId: z.string().nullable(),
    status: z.string(),
    timesUsed: z.number(),
    timesResolved: z.number(),
    reviewedBy: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('Solution');

const Edits = z.object({
  problem: z.string().min(1).max(5000).optional(),
  resolution: z.string().min(1).max(10_000).optional(),
  product: z.string().max(100).nullable().optional(),
});

const view = (s: Solution) => ({
  id: s.id,
  problem: s.problem,
  resolution: s.resolution,
  product: s.product,
  conversationId: s.conversationId,
  status: s.status,
  timesUsed: s.timesUsed,
  timesResolved: s.timesResolved,
  reviewedBy: s.reviewedBy,
  createdAt: iso(s.createdAt),
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/solutions',
  tags,
  summary: 'Solutions; the review queue is status=suggested',
  request: { query: z.object({ status: z.enum(solutionStatuses).optional() }) },
  responses: jsonResponse(z.object({ solutions: z.array(SolutionView) })),
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
  request: { params: IdParam, body: jsonBody(Edits) },
  responses: jsonResponse(SolutionView),
});

const approve = createRoute({
  method: 'post',
  path: '/api/admin/solutions/{id}/approve',
  tags,
  summary: 'Approve (optionally with edits): the agent may then suggest it',
  request: { params: IdParam, body: { ...jsonBody(Edits), required: false } },
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

export function registerAdminSolutions(app: App): void {
  app.openapi(list, async (c) => {
    const rows = await listSolutions(c.get('services').db, c.req.valid('query').status);
    return c.json({ solutions: rows.map(view) }, 200);
  });
  app.openapi(show, async (c) => {
    const [row] = await c
      .get('services')
      .db.select()
      .from(solutions)
      .where(eq(solutions.id, c.req.valid('param').id));
    if (!row) throw notFound('Solution');
    return c.json(view(row), 200);
  });
  app.openapi(edit, async (c) => {
    const { db, embedder } = c.get('services');
    const { id } = c.req.valid('param');
    const edits = c.req.valid('json');
    const [current] = await db.select().from(solutions).where(eq(solutions.id, id));
    if (!current) throw notFound('Solution');
    if (current.status === 'approved') {
      const row = await approveSolution(db, embedder, id, { ...edits, reviewer: c.get('staff').name });
      return c.json(view(row!), 200);
    }
    const [row] = await db
      .update(solutions)
      .set({ ...edits, updatedAt: new Date() })
      .where(eq(solutions.id, id))
      .returning();
    return c.json(view(row!), 200);
  });
  app.openapi(approve, async (c) => {
    const { db, embedder } = c.get('services');
    // The body is optional: approve as is, or with edits.
    const edits = Edits.safeParse(await c.req.json().catch(() => ({})));
    if (!edits.success)
      throw new ApiError('invalid_request', edits.error.issues[0]?.message ?? 'Invalid edits.');
    const row = await approveSolution(db, embedder, c.req.valid('param').id, {
      ...edits.data,
      reviewer: c.get('staff').name,
    });
    if (!row) throw notFound('Solution');
    return c.json(view(row), 200);
  });
  app.openapi(reject, async (c) => {
    const row = await rejectSolution(c.get('services').db, c.req.valid('param').id, c.get('staff').name);
    if (!row) throw notFound('Solution');
    return c.json(view(row), 200);
  });
}
