import { createRoute, z } from '@hono/zod-openapi';
import { ingestUploads } from '../../../knowledge/ingest.ts';
import { retireDocument } from '../../../knowledge/store.ts';
import { reindexKnowledge } from '../../../knowledge/reindex.ts';
import { searchKnowledge } from '../../../knowledge/search.ts';
import {
  diffVersions,
  findDocument,
  listDocuments,
  listVersions,
  rollbackDocument,
} from '../../../knowledge/versions.ts';
import type { App } from '../../app.ts';
import { ApiError, errorResponses } from '../../errors.ts';

const tags = ['Admin: knowledge'];
const Id = z.object({ id: z.string().uuid() });
const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errorResponses,
});

const DocumentView = z
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

const VersionView = z
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

const IngestResultView = z
  .object({
    source: z.string(),
    status: z.string(),
    documentId: z.string().optional(),
    version: z.number().optional(),
    chunks: z.number().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('IngestResult');

const list = createRoute({
  method: 'get',
  path: '/api/admin/documents',
  tags,
  summary: 'Documents in the knowledge base',
  request: { query: z.object({ retired: z.enum(['true', 'false']).optional() }) },
  responses: json(z.object({ documents: z.array(DocumentView) })),
});

const upload = createRoute({
  method: 'post',
  path: '/api/admin/documents',
  tags,
  summary: 'Upload documents (multipart field "files"); each is indexed at once, all or nothing per file',
  request: {
    body: {
      content: {
        'multipart/form-data': {
          schema: z.object({ files: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
      required: true,
    },
  },
  responses: json(z.object({ results: z.array(IngestResultView) })),
});

const preview = createRoute({
  method: 'post',
  path: '/api/admin/documents/search',
  tags,
  summary: 'What the agent would retrieve for a question',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            query: z.string().min(1).max(2000),
            limit: z.number().int().min(1).max(50).default(8),
            product: z.string().max(100).optional(),
            kind: z.string().max(100).optional(),
          }),
        },
      },
      required: true,
    },
  },
  responses: json(
    z.object({
      hits: z.array(
        z.object({
          source: z.string(),
          documentId: z.string(),
          versionId: z.string(),
          chunkId: z.string(),
          title: z.string(),
          heading: z.string(),
          score: z.number(),
          text: z.string(),
        }),
      ),
      ms: z.number(),
    }),
  ),
});

const versions = createRoute({
  method: 'get',
  path: '/api/admin/documents/{id}/versions',
  tags,
  summary: "A document's versions, newest first",
  request: { params: Id },
  responses: json(
    z.object({
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
    }),
  ),
});

const diff = createRoute({
  method: 'get',
  path: '/api/admin/documents/{id}/diff',
  tags,
  summary: 'Unified diff of the extracted text of two versions',
  request: {
    params: Id,
    query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
  },
  responses: json(z.object({ diff: z.string() })),
});

const rollback = createRoute({
  method: 'post',
  path: '/api/admin/documents/{id}/rollback',
  tags,
  summary: 'Make another version current again',
  request: {
    params: Id,
    body: {
      content: { 'application/json': { schema: z.object({ version: z.number().int().min(1) }) } },
      required: true,
    },
  },
  responses: json(VersionView),
});

const remove = createRoute({
  method: 'delete',
  path: '/api/admin/documents/{id}',
  tags,
  summary: 'Retire a document: it leaves search; its versions are kept',
  request: { params: Id },
  responses: json(z.object({ ok: z.literal(true) })),
});

const reindex = createRoute({
  method: 'post',
  path: '/api/admin/documents/reindex',
  tags,
  summary: 'Re-embed every chunk with the active embedder (after changing the embedding model)',
  responses: json(z.object({ chunks: z.number(), from: z.string().nullable(), to: z.string() })),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function versionView(v: Awaited<ReturnType<typeof listVersions>>['versions'][number]) {
  return { ...v, createdAt: v.createdAt.toISOString(), indexedAt: iso(v.indexedAt) };
}

export function registerAdminDocuments(app: App): void {
  app.openapi(list, async (c) => {
    const rows = await listDocuments(c.get('services').db, {
      includeRetired: c.req.valid('query').retired === 'true',
    });
    return c.json({ documents: rows.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() })) }, 200);
  });

  app.openapi(upload, async (c) => {
    const { db, embedder, ingest } = c.get('services');
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ApiError('invalid_request', 'Send the files as multipart/form-data.');
    }
    const files = form.getAll('files').flatMap((f) => (typeof f === 'string' ? [] : [f]));
    if (files.length === 0) throw new ApiError('invalid_request', 'No files in the "files" field.');
    if (files.length > 20) throw new ApiError('invalid_request', 'Upload at most 20 files at a time.');
    for (const f of files) {
      if (f.size > ingest.maxFileBytes) {
        throw new ApiError(
          'payload_too_large',
          `${f.name} is larger than ${Math.round(ingest.maxFileBytes / 1048576)} MB.`,
        );
      }
    }
    const inputs = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const results = await ingestUploads({ db, embedder }, inputs, ingest);
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
    const { document, versions: rows } = await listVersions(c.get('services').db, c.req.valid('param').id);
    return c.json(
      {
        document: {
          id: document.id,
          source: document.source,
          title: document.title,
          status: document.status,
          format: document.format,
          kind: document.kind,
          product: document.product,
        },
        versions: rows.map(versionView),
      },
      200,
    );
  });

  app.openapi(diff, async (c) => {
    const { from, to } = c.req.valid('query');
    const text = await diffVersions(c.get('services').db, c.req.valid('param').id, from, to);
    return c.json({ diff: text }, 200);
  });

  app.openapi(rollback, async (c) => {
    const version = await rollbackDocument(
      c.get('services').db,
      c.req.valid('param').id,
      c.req.valid('json').version,
    );
    return c.json(versionView(version), 200);
  });

  app.openapi(remove, async (c) => {
    const { db } = c.get('services');
    const document = await findDocument(db, c.req.valid('param').id);
    await retireDocument(db, document.id);
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(reindex, async (c) => {
    const { db, embedder } = c.get('services');
    const result = await reindexKnowledge(db, embedder);
    return c.json({ chunks: result.chunks, from: result.from ?? null, to: result.to }, 200);
  });
}
