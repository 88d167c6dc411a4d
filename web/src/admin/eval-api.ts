import type { EvalRunDiff, EvalRunList, EvalRunView } from '../../../src/contracts/eval.ts';
import { request } from './api.ts';

const id = encodeURIComponent;

/** The admin API of answer test suites: stored runs, one run, and the difference between two. */
export const evalApi = {
  runs: (suite?: string) =>
    request<EvalRunList>('GET', `/api/admin/eval/runs${suite ? `?suite=${id(suite)}` : ''}`),
  run: (runId: string) => request<EvalRunView>('GET', `/api/admin/eval/runs/${id(runId)}`),
  diff: (before: string, after: string) =>
    request<EvalRunDiff>('GET', `/api/admin/eval/runs/${id(before)}/diff/${id(after)}`),
};
