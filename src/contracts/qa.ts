import { z } from '@hono/zod-openapi';

// Q&A pairs: questions and reference answers drawn from conversations, solutions and documents, reviewed by
// staff, split into train/validation/test for fine-tuning and answer evaluation.

export const qaPairStatuses = ['draft', 'approved', 'rejected'] as const;
export const QaPairStatus = z.enum(qaPairStatuses);
export type QaPairStatus = z.infer<typeof QaPairStatus>;

export const qaSplits = ['train', 'validation', 'test'] as const;
export const QaSplit = z.enum(qaSplits);
export type QaSplit = z.infer<typeof QaSplit>;

export const qaSourceTypes = ['conversation', 'solution', 'document'] as const;
export const QaSourceType = z.enum(qaSourceTypes);
export type QaSourceType = z.infer<typeof QaSourceType>;

/** Where `qa generate` looks for pairs. */
export const qaGenerateSources = ['conversations', 'solutions', 'docs'] as const;
export const QaGenerateSource = z.enum(qaGenerateSources);
export type QaGenerateSource = z.infer<typeof QaGenerateSource>;

export const QaQuery = z.object({
  status: QaPairStatus.optional(),
  split: QaSplit.optional(),
  source: QaSourceType.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type QaQuery = z.infer<typeof QaQuery>;

export const QaCitation = z.object({
  source: z.string(),
  documentId: z.string(),
  chunkId: z.string(),
  heading: z.string(),
  title: z.string().optional(),
});

export const QaPairView = z
  .object({
    id: z.string(),
    question: z.string(),
    answer: z.string(),
    status: QaPairStatus,
    split: QaSplit.nullable(),
    sourceType: QaSourceType,
    sourceId: z.string().nullable(),
    sourceLabel: z.string().nullable(),
    citations: z.array(QaCitation),
    /** Turns of the source conversation before the answer (tool calls counted), for context. */
    transcriptTurns: z.number(),
    generator: z.string().nullable(),
    quality: z.number().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('QaPair');
export type QaPairView = z.infer<typeof QaPairView>;

/** Pairs per status and, for approved ones, per split. */
export const QaCounts = z.object({
  draft: z.number(),
  approved: z.number(),
  rejected: z.number(),
  train: z.number(),
  validation: z.number(),
  test: z.number(),
});
export type QaCounts = z.infer<typeof QaCounts>;

export const QaList = z.object({ pairs: z.array(QaPairView), counts: QaCounts }).openapi('QaList');
export type QaList = z.infer<typeof QaList>;

/** Staff edits to a pair; personal data typed into them is replaced like the generated text's. */
export const QaEdits = z
  .object({
    question: z.string().trim().min(3).max(2000).optional(),
    answer: z.string().trim().min(1).max(10_000).optional(),
  })
  .openapi('QaEdits');
export type QaEdits = z.infer<typeof QaEdits>;

export const QaApproveAllResult = z.object({ approved: z.number() });
export type QaApproveAllResult = z.infer<typeof QaApproveAllResult>;

export const QaGenerateRequest = z
  .object({ from: z.array(QaGenerateSource).min(1).optional() })
  .openapi('QaGenerateRequest');
export type QaGenerateRequest = z.infer<typeof QaGenerateRequest>;

export const QaGenerateReport = z.object({
  considered: z.number(),
  created: z.number(),
  replaced: z.number(),
  duplicates: z.number(),
  bySource: z.record(QaSourceType, z.number()),
  ids: z.array(z.string()),
});
export type QaGenerateReport = z.infer<typeof QaGenerateReport>;

/** Generation runs as a background job when the server has a queue; otherwise it runs in the request. */
export const QaGenerateResult = z
  .object({ jobId: z.string().nullable(), report: QaGenerateReport.nullable() })
  .openapi('QaGenerateResult');
export type QaGenerateResult = z.infer<typeof QaGenerateResult>;
