import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { IdParam, Ok } from '../../../contracts/primitives.ts';
import { wellFormedText } from '../../../contracts/well-formed.ts';
import {
  DiffQuery,
  DocumentDiff,
  DocumentList,
  DocumentQuery,
  DocumentVersions,
  maxUploadFiles,
  ReindexResult,
  RetrievalPreview,
  RetrievalQuery,
  RollbackInput,
  UploadForm,
  UploadResult,
  VersionView,
} from '../../../contracts/documents.ts';
import { ingestUploads } from '../../../knowledge/ingest.ts';
import { reindexKnowledge } from '../../../knowledge/reindex.ts';
import { searchKnowledge } from '../../../knowledge/search.ts';
import {
  diffVersions,
  getDocumentVersions,
  listDocumentViews,
  retireDocumentByRef,
  rollbackDocumentView,
} from '../../../knowledge/versions.ts';
import type { AppEnv } from '../../app-env.ts';
import type { App } from '../../app.ts';
import { readUploadedFiles } from '../../multipart.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: knowledge'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/documents',
  tags,
  summary: 'Documents in the knowledge base',
  request: { query: DocumentQuery },
  responses: jsonResponse(DocumentList),
});

const upload = createRoute({
  method: 'post',
  path: '/api/admin/documents',
  tags,
  summary: 'Upload documents (multipart field "files"); each is indexed at once, all or nothing per file',
  request: { body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
  responses: jsonResponse(UploadResult),
});

const preview = createRoute({
  method: 'post',
  path: '/api/admin/documents/search',
  tags,
  summary: 'What the agent would retrieve for a question',
  request: { body: jsonBody(RetrievalQuery) },
  responses: jsonResponse(RetrievalPreview),
});

const versions = createRoute({
  method: 'get',
  path: '/api/admin/documents/{id}/versions',
  tags,
  summary: "A document's versions, newest first",
  request: { params: IdParam },
  responses: jsonResponse(DocumentVersions),
});

const diff = createRoute({
  method: 'get',
  path: '/api/admin/documents/{id}/diff',
  tags,
  summary: 'Unified diff of the extracted text of two versions',
  request: { params: IdParam, query: DiffQuery },
  responses: jsonResponse(DocumentDiff),
});

const rollback = createRoute({
  method: 'post',
  path: '/api/admin/documents/{id}/rollback',
  tags,
  summary: 'Make another version current again',
  request: { params: IdParam, body: jsonBody(RollbackInput) },
  responses: jsonResponse(VersionView),
});

const remove = createRoute({
  method: 'delete',
  path: '/api/admin/documents/{id}',
  tags,
  summary: 'Retire a document: it leaves search; its versions are kept',
  request: { params: IdParam },
  responses: jsonResponse(Ok),
});

const reindex = createRoute({
  method: 'post',
  path: '/api/admin/documents/reindex',
  tags,
  summary: 'Re-embed every chunk with the active embedder (after changing the embedding model)',
  responses: jsonResponse(ReindexResult),
});

/** The files of a multipart upload, read as the body arrives and checked against the count and size limits. */
async function uploadedFiles(c: Context<AppEnv>, maxFileBytes: number) {
  const files = await readUploadedFiles(c.req.raw, {
    field: 'files',
    maxFiles: maxUploadFiles,
    maxFileBytes,
  });
  return files.map((f) => ({ ...f, name: wellFormedText(f.name) }));
}

/** The knowledge base for staff: documents, uploads, retrieval preview, versions, rollback, re-indexing. */
export function registerAdminDocuments(app: App): void {
  app.openapi(list, async (c) => {
    const includeRetired = c.req.valid('query').retired === 'true';
    return c.json({ documents: await listDocumentViews(c.get('services').db, { includeRetired }) }, 200);
  });

  app.openapi(upload, async (c) => {
    const { db, embedder, ingest, log } = c.get('services');
    const files = await uploadedFiles(c, ingest.maxFileBytes);
    const results = await ingestUploads({ db, embedder }, files, ingest);
    // Expected failures (a bad file) say what is wrong; an unexpected one may quote the SQL that failed and the
    // whole document, so staff get a short message and the log gets the detail.
    for (const result of results) {
      if (result.error?.code !== 'failed') continue;
      log.error('upload failed', {
        requestId: c.get('requestId'),
        source: result.source,
        error: result.error.message.slice(0, 2000),
      });
      result.error = {
        code: 'failed',
        message: `${result.source}: could not be stored (an unexpected error; request ${c.get('requestId')})`,
      };
    }
    return c.json({ results }, 200);
  });

  app.openapi(preview, async (c) => {
    const { db, embedder } = c.get('services');
    const body = c.req.valid('json');
    const started = performance.now();
    const hits = await searchKnowledge({ db, embedder }, body.query, body);
    return c.json({ hits, ms: Math.round(performance.now() - started) }, 200);
  });

  app.openapi(versions, async (c) => {
    return c.json(await getDocumentVersions(c.get('services').db, c.req.valid('param').id), 200);
  });

  app.openapi(diff, async (c) => {
    const { from, to } = c.req.valid('query');
    return c.json({ diff: await diffVersions(c.get('services').db, c.req.valid('param').id, from, to) }, 200);
  });

  app.openapi(rollback, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await rollbackDocumentView(c.get('services').db, id, c.req.valid('json').version), 200);
  });

  app.openapi(remove, async (c) => {
    await retireDocumentByRef(c.get('services').db, c.req.valid('param').id);
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(reindex, async (c) => {
    const { db, embedder } = c.get('services');
    const { chunks, from, to } = await reindexKnowledge(db, embedder);
    return c.json({ chunks, from: from ?? null, to }, 200);
  });
}
