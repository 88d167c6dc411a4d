import type { CustomerDetail, CustomerList } from '../../../src/contracts/customers.ts';
import type { ProductInput, ProductList, ProductView } from '../../../src/contracts/products.ts';
import type { StaffView } from '../../../src/contracts/session.ts';
import type { CompanyProfile, Settings } from '../../../src/contracts/settings.ts';
import type { CreatedStaffToken, StaffTokenList } from '../../../src/contracts/staff-tokens.ts';
import type { Ok } from '../../../src/contracts/primitives.ts';
import type { Analytics } from '../../../src/contracts/analytics.ts';
import type { ConversationRows, ResolveResult, Transcript } from '../../../src/contracts/conversations.ts';
import type {
  DocumentDiff,
  DocumentList,
  DocumentVersions,
  ReindexResult,
  RetrievalPreview,
  UploadResult,
  VersionView,
} from '../../../src/contracts/documents.ts';
import type {
  SolutionEdits,
  SolutionList,
  SolutionStatus,
  SolutionView,
} from '../../../src/contracts/solutions.ts';

/** A failed admin API call, carrying the server's `{code, message, requestId}` when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

type SignedOutListener = () => void;
const signedOutListeners = new Set<SignedOutListener>();

/** Called whenever the API answers 401 (the session expired or was revoked); returns an unsubscribe. */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => null)) as {
    code?: string;
    message?: string;
    requestId?: string;
  } | null;
  if (body && typeof body.message === 'string') {
    return new ApiFailure(response.status, body.code ?? 'error', body.message, body.requestId);
  }
  return new ApiFailure(
    response.status,
    'http_error',
    `The server answered ${response.status} ${response.statusText}.`,
  );
}

/** One admin API call: JSON in and out, failures as `ApiFailure`, a 401 signs the console out. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  quietUnauthorized = false,
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiFailure(0, 'network_error', 'Could not reach the server. Check that it is running.');
  }
  if (!response.ok) {
    const failure = await failureOf(response);
    if (response.status === 401 && !quietUnauthorized) for (const listener of signedOutListeners) listener();
    throw failure;
  }
  return (await response.json()) as T;
}

const get = <T>(path: string) => request<T>('GET', path);
const query = (params: Record<string, string | number | boolean | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
const id = encodeURIComponent;

/** The admin JSON API, one function per route. */
export const adminApi = {
  session: {
    current: () => request<StaffView>('GET', '/api/admin/session', undefined, true),
    signIn: (token: string) => request<StaffView>('POST', '/api/admin/session', { token }, true),
    signOut: () => request<Ok>('DELETE', '/api/admin/session', undefined, true),
  },
  documents: {
    list: (retired: boolean) =>
      get<DocumentList>(`/api/admin/documents${query({ retired: retired || undefined })}`),
    upload: (files: File[]) => {
      const form = new FormData();
      for (const file of files) form.append('files', file, file.name);
      return request<UploadResult>('POST', '/api/admin/documents', form);
    },
    search: (text: string, filters: { product?: string; kind?: string } = {}, limit = 8) =>
      request<RetrievalPreview>('POST', '/api/admin/documents/search', {
        query: text,
        limit,
        ...(filters.product ? { product: filters.product } : {}),
        ...(filters.kind ? { kind: filters.kind } : {}),
      }),
    versions: (documentId: string) =>
      get<DocumentVersions>(`/api/admin/documents/${id(documentId)}/versions`),
    diff: (documentId: string, from: number, to: number) =>
      get<DocumentDiff>(`/api/admin/documents/${id(documentId)}/diff${query({ from, to })}`),
    rollback: (documentId: string, version: number) =>
      request<VersionView>('POST', `/api/admin/documents/${id(documentId)}/rollback`, { version }),
    retire: (documentId: string) => request<Ok>('DELETE', `/api/admin/documents/${id(documentId)}`),
    reindex: () => request<ReindexResult>('POST', '/api/admin/documents/reindex'),
  },
  solutions: {
    list: (status?: SolutionStatus) => get<SolutionList>(`/api/admin/solutions${query({ status })}`),
    edit: (solutionId: string, edits: SolutionEdits) =>
      request<SolutionView>('PATCH', `/api/admin/solutions/${id(solutionId)}`, edits),
    approve: (solutionId: string, edits?: SolutionEdits) =>
      request<SolutionView>('POST', `/api/admin/solutions/${id(solutionId)}/approve`, edits ?? {}),
    reject: (solutionId: string) =>
      request<SolutionView>('POST', `/api/admin/solutions/${id(solutionId)}/reject`),
  },
  conversations: {
    list: (filter: { status?: string; lowRated?: boolean; customerId?: string; offset?: number }) =>
      get<ConversationRows>(
        `/api/admin/conversations${query({
          status: filter.status,
          rating: filter.lowRated ? 'low' : undefined,
          customerId: filter.customerId,
          offset: filter.offset,
        })}`,
      ),
    transcript: (conversationId: string) => get<Transcript>(`/api/admin/conversations/${id(conversationId)}`),
    resolve: (conversationId: string) =>
      request<ResolveResult>('POST', `/api/admin/conversations/${id(conversationId)}/resolve`),
  },
  customers: {
    list: (q: string) => get<CustomerList>(`/api/admin/customers${query({ q })}`),
    show: (customerId: string) => get<CustomerDetail>(`/api/admin/customers/${id(customerId)}`),
  },
  products: {
    list: (q: string) => get<ProductList>(`/api/admin/products${query({ q })}`),
    show: (sku: string) => get<ProductView>(`/api/admin/products/${id(sku)}`),
    save: (sku: string, input: ProductInput) =>
      request<ProductView>('PUT', `/api/admin/products/${id(sku)}`, input),
  },
  analytics: (days: number) => get<Analytics>(`/api/admin/analytics${query({ days })}`),
  settings: {
    get: () => get<Settings>('/api/admin/settings'),
    saveCompany: (company: CompanyProfile) =>
      request<CompanyProfile>('PUT', '/api/admin/settings/company', company),
  },
  tokens: {
    list: () => get<StaffTokenList>('/api/admin/tokens'),
    create: (name: string) => request<CreatedStaffToken>('POST', '/api/admin/tokens', { name }),
    revoke: (tokenId: string) => request<Ok>('DELETE', `/api/admin/tokens/${id(tokenId)}`),
  },
};
