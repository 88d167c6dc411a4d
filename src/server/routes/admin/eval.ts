import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '../../../contracts/primitives.ts';
import {
  EvalDiffParams,
  EvalRunDiff,
  EvalRunList,
  EvalRunQuery,
  EvalRunView,
  EvalSuiteRegistration,
  EvalSuiteView,
} from '../../../contracts/eval.ts';
import { diffRuns } from '../../../learn/suite-diff.ts';
import { registerSuiteCases } from '../../../learn/suite-registry.ts';
import { findRun, listRuns, runView } from '../../../learn/suite-store.ts';
import type { App } from '../../app.ts';
import { ApiError, errorResponses, notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: answer tests'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/eval/runs',
  tags,
  summary: 'Answer test suite runs, newest first, with their pass rates; and the suites that have runs',
  request: { query: EvalRunQuery },
  responses: jsonResponse(EvalRunList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/eval/runs/{id}',
  tags,
  summary: "One run: each case's answer, citations, tools and verdict, and the knowledge base's versions",
  request: { params: IdParam },
  responses: jsonResponse(EvalRunView),
});

const diff = createRoute({
  method: 'get',
  path: '/api/admin/eval/runs/{a}/diff/{b}',
  tags,
  summary: 'What changed from run a to run b: cases that flipped, answers that changed, document versions',
  request: { params: EvalDiffParams },
  responses: jsonResponse(EvalRunDiff),
});

const register = createRoute({
  method: 'post',
  path: '/api/admin/eval/suites',
  tags,
  summary:
    "Register a suite's cases (replacing those of a suite with its name) and run it in the background; " +
    'a change in a document it relies on re-runs it',
  request: { body: jsonBody(EvalSuiteRegistration) },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: EvalSuiteView } } },
    ...errorResponses,
  },
});

export function registerAdminEval(app: App): void {
  app.openapi(list, async (c) => c.json(await listRuns(c.get('services').db, c.req.valid('query')), 200));
  app.openapi(show, async (c) => {
    const run = await findRun(c.get('services').db, c.req.valid('param').id);
    if (!run) throw notFound('Run');
    return c.json(runView(run), 200);
  });
  app.openapi(diff, async (c) => {
    const { db } = c.get('services');
    const { a, b } = c.req.valid('param');
    const [before, after] = [await findRun(db, a), await findRun(db, b)];
    if (!before || !after) throw notFound('Run');
    return c.json(diffRuns(before, after), 200);
  });
  app.openapi(register, async (c) => {
    const { db, queue } = c.get('services');
    const { name, cases } = c.req.valid('json');
    const result = await registerSuiteCases(db, name, cases);
    if ('problem' in result) throw new ApiError('invalid_request', result.problem);
    const { suite } = result;
    // Without a job queue the suite waits for the next document change; a run can take minutes with an LLM.
    const jobId = queue
      ? await queue.enqueue(
          'eval.suite-run',
          { suiteId: suite.id, trigger: 'manual', changedDocuments: [] },
          { singletonKey: suite.id },
        )
      : null;
    return c.json(
      { id: suite.id, name: suite.name, hash: suite.hash, cases: suite.cases.length, jobId },
      201,
    );
  });
}
