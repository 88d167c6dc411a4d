import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import { iso } from '../contracts/primitives.ts';
import type { QaCounts, QaEdits, QaPairView, QaQuery } from '../contracts/qa.ts';
import type { Db } from '../db/client.ts';
import { conversations, customers, type QaPair, qaPairs } from '../db/schema/index.ts';
import { PiiScrubber } from './pii.ts';
import { splitFor } from './splits.ts';

/** A pair as staff review it. */
export function qaPairView(p: QaPair): QaPairView {
  return {
    id: p.id,
    question: p.question,
    answer: p.answer,
    status: p.status,
    split: p.split,
    sourceType: p.sourceType,
    sourceId: p.sourceId,
    sourceLabel: p.sourceLabel,
    citations: p.citations.map(({ source, documentId, chunkId, heading, title }) => ({
      source,
      documentId,
      chunkId,
      heading,
      ...(title ? { title } : {}),
    })),
    transcriptTurns: p.transcript.length,
    generator: p.generator,
    quality: p.quality,
    reviewedBy: p.reviewedBy,
    reviewedAt: iso(p.reviewedAt),
    createdAt: iso(p.createdAt),
  };
}

/** Pairs matching the filters, newest first. */
export async function listQaPairs(db: Db, query: Partial<QaQuery> = {}): Promise<QaPairView[]> {
  const filters: (SQL | undefined)[] = [
    query.status ? eq(qaPairs.status, query.status) : undefined,
    query.split ? eq(qaPairs.split, query.split) : undefined,
    query.source ? eq(qaPairs.sourceType, query.source) : undefined,
    query.q
      ? or(
          ilike(qaPairs.question, `%${escapeLike(query.q)}%`),
          ilike(qaPairs.answer, `%${escapeLike(query.q)}%`),
        )
      : undefined,
  ];
  const rows = await db
    .select()
    .from(qaPairs)
    .where(and(...filters))
    .orderBy(desc(qaPairs.createdAt), desc(qaPairs.id))
    .limit(query.limit ?? 200)
    .offset(query.offset ?? 0);
  return rows.map(qaPairView);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** How many pairs there are per status, and approved ones per split. */
export async function countQaPairs(db: Db): Promise<QaCounts> {
  const rows = await db
    .select({ status: qaPairs.status, split: qaPairs.split, n: count() })
    .from(qaPairs)
    .groupBy(qaPairs.status, qaPairs.split);
  const counts: QaCounts = { draft: 0, approved: 0, rejected: 0, train: 0, validation: 0, test: 0 };
  for (const r of rows) {
    counts[r.status] += r.n;
    if (r.status === 'approved' && r.split) counts[r.split] += r.n;
  }
  return counts;
}

export async function getQaPair(db: Db, id: string): Promise<QaPairView | undefined> {
  const [row] = await db.select().from(qaPairs).where(eq(qaPairs.id, id));
  return row && qaPairView(row);
}

/** Staff's text is scrubbed too, with the source conversation's customer name. */
async function scrubberFor(db: Db, pair: QaPair): Promise<PiiScrubber> {
  if (pair.sourceType !== 'conversation' || !pair.sourceId) return new PiiScrubber();
  const [row] = await db
    .select({ name: customers.name })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.id, pair.sourceId));
  return new PiiScrubber([row?.name]);
}

/**
 * Edits a pair's question or answer (personal data typed in is replaced too). The split of an approved pair is
 * kept: moving a pair between splits after a model has trained on it would leak it into the test split.
 */
export async function editQaPair(
  db: Db,
  id: string,
  edits: QaEdits,
  reviewer: string,
): Promise<QaPairView | undefined> {
  const [current] = await db.select().from(qaPairs).where(eq(qaPairs.id, id));
  if (!current) return undefined;
  const scrubber = await scrubberFor(db, current);
  const [row] = await db
    .update(qaPairs)
    .set({
      ...(edits.question !== undefined ? { question: scrubber.scrub(edits.question) } : {}),
      ...(edits.answer !== undefined ? { answer: scrubber.scrub(edits.answer) } : {}),
      reviewedBy: reviewer,
      reviewedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(qaPairs.id, id))
    .returning();
  return row && qaPairView(row);
}

/**
 * Approves a pair (optionally with edits) and gives it its split, from the hash of its normalised question,
 * the first time it is approved.
 */
export async function approveQaPair(
  db: Db,
  id: string,
  reviewer: string,
  edits: QaEdits = {},
): Promise<QaPairView | undefined> {
  if (edits.question !== undefined || edits.answer !== undefined) {
    if (!(await editQaPair(db, id, edits, reviewer))) return undefined;
  }
  const [current] = await db.select().from(qaPairs).where(eq(qaPairs.id, id));
  if (!current) return undefined;
  const [row] = await db
    .update(qaPairs)
    .set({
      status: 'approved',
      split: current.split ?? splitFor(current.question),
      reviewedBy: reviewer,
      reviewedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(qaPairs.id, id))
    .returning();
  return row && qaPairView(row);
}

/** Approves every draft; returns how many. */
export async function approveAllDrafts(db: Db, reviewer: string): Promise<number> {
  return db.transaction(async (tx) => {
    const drafts = await tx
      .select({ id: qaPairs.id, question: qaPairs.question, split: qaPairs.split })
      .from(qaPairs)
      .where(eq(qaPairs.status, 'draft'));
    const now = new Date();
    for (const d of drafts) {
      await tx
        .update(qaPairs)
        .set({
          status: 'approved',
          split: d.split ?? splitFor(d.question),
          reviewedBy: reviewer,
          reviewedAt: now,
          updatedAt: now,
        })
        .where(eq(qaPairs.id, d.id));
    }
    return drafts.length;
  });
}

/** Rejects a pair: it is kept (so generation does not propose it again) but never exported. */
export async function rejectQaPair(db: Db, id: string, reviewer: string): Promise<QaPairView | undefined> {
  const [row] = await db
    .update(qaPairs)
    .set({ status: 'rejected', reviewedBy: reviewer, reviewedAt: new Date(), updatedAt: new Date() })
    .where(eq(qaPairs.id, id))
    .returning();
  return row && qaPairView(row);
}

/** Approved pairs of one split, oldest first (a stable order for exports and evaluations). */
export async function approvedPairs(db: Db, split: NonNullable<QaPair['split']>): Promise<QaPair[]> {
  return db
    .select()
    .from(qaPairs)
    .where(and(eq(qaPairs.status, 'approved'), eq(qaPairs.split, split)))
    .orderBy(qaPairs.createdAt, qaPairs.id);
}
