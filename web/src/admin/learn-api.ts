import type { FinetuneJobView, FinetuneOverview } from '../../../src/contracts/finetune.ts';
import type {
  QaApproveAllResult,
  QaEdits,
  QaGenerateResult,
  QaGenerateSource,
  QaList,
  QaPairView,
  QaQuery,
} from '../../../src/contracts/qa.ts';
import { request } from './api.ts';

const id = encodeURIComponent;

function query(params: Partial<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The admin API of the learning loop: Q&A pairs and fine-tuning. */
export const learnApi = {
  qa: {
    list: (filters: Partial<QaQuery>) => request<QaList>('GET', `/api/admin/qa${query(filters)}`),
    edit: (pairId: string, edits: QaEdits) =>
      request<QaPairView>('PATCH', `/api/admin/qa/${id(pairId)}`, edits),
    approve: (pairId: string, edits?: QaEdits) =>
      request<QaPairView>('POST', `/api/admin/qa/${id(pairId)}/approve`, edits ?? {}),
    reject: (pairId: string) => request<QaPairView>('POST', `/api/admin/qa/${id(pairId)}/reject`),
    approveAll: () => request<QaApproveAllResult>('POST', '/api/admin/qa/approve-all'),
    generate: (from?: QaGenerateSource[]) =>
      request<QaGenerateResult>('POST', '/api/admin/qa/generate', from ? { from } : {}),
  },
  finetune: {
    overview: () => request<FinetuneOverview>('GET', '/api/admin/finetune'),
    promote: (jobId: string, force: boolean) =>
      request<FinetuneJobView>('POST', `/api/admin/finetune/${id(jobId)}/promote`, { force }),
    rollback: () => request<FinetuneOverview>('POST', '/api/admin/finetune/rollback'),
  },
};
