import { z } from '@hono/zod-openapi';

// The knowledge base as staff manage it: documents, their versions, uploads and retrieval previews.

export const DocumentQuery = z.object({ retired: z.enum(['true', 'false']).optional() });

export const DocumentView = z
  .object({
    id: z.string(),
    source: z.string(),
    title: z.string(),
    format: z.string(),
    kind: z.string().nullable(),
    product: z.string().nullable(),
    status: z.string(),
    currentVersion: z.number().nullable(),
    versions: z.number(),
    chunks: z.number(),
    updatedAt: z.string(),
  })
  .openapi('Document');
export type DocumentView = z.infer<typeof DocumentView>;

export const DocumentList = z.object({ documents: z.array(DocumentView) });
export type DocumentList = z.infer<typeof DocumentList>;

export const VersionView = z
  .object({
    id: z.string(),
    version: z.number(),
    contentHash: z.string(),
    title: z.string(),
    chunkCount: z.number(),
    embeddingModel: z.string(),
    createdAt: z.string(),
    indexedAt: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('DocumentVersion');
export type VersionView = z.infer<typeof VersionView>;

/** A document's identity and its versions, newest first. */
export const DocumentVersions = z.object({
  document: DocumentView.pick({
    id: true,
    source: true,
    title: true,
    status: true,
    format: true,
    kind: true,
    product: true,
  }),
  versions: z.array(VersionView),
});
export type DocumentVersions = z.infer<typeof DocumentVersions>;

export const DiffQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

export const DocumentDiff = z.object({ diff: z.string() });
export type DocumentDiff = z.infer<typeof DocumentDiff>;

export const RollbackInput = z.object({ version: z.number().int().min(1) });
export type RollbackInput = z.infer<typeof RollbackInput>;

/** What became of one uploaded file. */
export const IngestResultView = z
  .object({
    source: z.string(),
    status: z.string(),
    documentId: z.string().optional(),
    version: z.number().optional(),
    chunks: z.number().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('IngestResult');
export type IngestResultView = z.infer<typeof IngestResultView>;

export const UploadResult = z.object({ results: z.array(IngestResultView) });
export type UploadResult = z.infer<typeof UploadResult>;

/** At most this many files per upload. */
export const maxUploadFiles = 20;

/**
 * The upload form, for the API description only: a plain schema, not a zod one, so no validator gathers and parses
 * the whole body before the route, which reads it as a stream (`src/server/multipart.ts`).
 */
export const UploadForm = {
  type: 'object' as const,
  properties: { files: { type: 'array' as const, items: { type: 'string' as const, format: 'binary' } } },
  required: ['files'],
};

export const RetrievalQuery = z.object({
  query: z.string().min(1).max(2000),
  limit: z.number().int().min(1).max(50).default(8),
  product: z.string().max(100).optional(),
  kind: z.string().max(100).optional(),
});
export type RetrievalQuery = z.infer<typeof RetrievalQuery>;

/** One retrieved passage. */
export const SearchHit = z
  .object({
    source: z.string(),
    documentId: z.string(),
    versionId: z.string(),
    chunkId: z.string(),
    title: z.string(),
    heading: z.string(),
    score: z.number(),
    text: z.string(),
  })
  .openapi('SearchHit');
export type SearchHit = z.infer<typeof SearchHit>;

/** What the agent would retrieve, and how long retrieval took. */
export const RetrievalPreview = z.object({ hits: z.array(SearchHit), ms: z.number() });
export type RetrievalPreview = z.infer<typeof RetrievalPreview>;

export const ReindexResult = z.object({ chunks: z.number(), from: z.string().nullable(), to: z.string() });
export type ReindexResult = z.infer<typeof ReindexResult>;
