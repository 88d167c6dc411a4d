import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { iso } from '../contracts/primitives.ts';
import type { SolutionEdits, SolutionStatus, SolutionView } from '../contracts/solutions.ts';
import { type Db, queryRows } from '../db/client.ts';
import { conversations, messages, type Solution, solutions } from '../db/schema/index.ts';

/** What solutions need of an embedder; knowledge's `Embedder` is one. Support sits beside knowledge, not above it. */
export interface TextEmbedder {
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

export interface SolutionMatch {
  id: string;
  problem: string;
  resolution: string;
  product: string | null;
  similarity: number;
  timesUsed: number;
  timesResolved: number;
}

/** What gets embedded for a solution: the problem it solves, then how. */
export function solutionText(problem: string, resolution: string): string {
  return `${problem}\n${resolution}`;
}

/**
 * Marks a conversation resolved: records a suggested solution from it for staff review (once), and credits
 * the approved solutions the agent offered in it with a successful resolution. One transaction. The
 * suggestion's resolution is `options.note` when staff wrote one (what actually fixed it), else the last
 * reply the customer got, from a person or the agent.
 */
export async function resolveConversation(
  db: Db,
  conversationId: string,
  options: { note?: string | undefined } = {},
): Promise<Solution | undefined> {
  return db.transaction(async (tx) => {
    const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    if (!conversation) return undefined;
    await tx
      .update(conversations)
      .set({ status: 'resolved', updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
    const offered = (conversation.metadata.offeredSolutions as string[] | undefined) ?? [];
    if (conversation.status !== 'resolved' && offered.length) {
      await tx
        .update(solutions)
        .set({ timesResolved: sql`${solutions.timesResolved} + 1` })
        .where(inArray(solutions.id, offered));
    }
    const [existing] = await tx.select().from(solutions).where(eq(solutions.conversationId, conversationId));
    if (existing) return existing;
    const turns = await tx
      .select({ role: messages.role, content: messages.content })
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(messages.createdAt);
    const problem = turns.find((t) => t.role === 'user')?.content;
    const resolution =
      options.note?.trim() || turns.findLast((t) => t.role === 'staff' || t.role === 'assistant')?.content;
    if (!problem || !resolution) return undefined;
    const [created] = await tx
      .insert(solutions)
      .values({
        problem: problem.slice(0, 2000),
        resolution: resolution.slice(0, 4000),
        product: (conversation.metadata.product as string | undefined) ?? null,
        conversationId,
        status: 'suggested',
      })
      .returning();
    return created;
  });
}

export async function listSolutions(db: Db, status?: Solution['status']): Promise<Solution[]> {
  return db
    .select()
    .from(solutions)
    .where(status ? eq(solutions.status, status) : undefined)
    .orderBy(desc(solutions.createdAt));
}

/** Approves a solution (optionally edited by staff) and embeds it so the agent can offer it. */
export async function approveSolution(
  db: Db,
  embedder: TextEmbedder,
  id: string,
  edits: { problem?: string; resolution?: string; product?: string | null; reviewer?: string } = {},
): Promise<Solution | undefined> {
  const [current] = await db.select().from(solutions).where(eq(solutions.id, id));
  if (!current) return undefined;
  const problem = edits.problem ?? current.problem;
  const resolution = edits.resolution ?? current.resolution;
  const [vector] = await embedder.embed([solutionText(problem, resolution)]);
  const [row] = await db
    .update(solutions)
    .set({
      problem,
      resolution,
      product: edits.product === undefined ? current.product : edits.product,
      status: 'approved',
      embedding: vector!,
      reviewedBy: edits.reviewer ?? null,
      updatedAt: new Date(),
    })
    .where(eq(solutions.id, id))
    .returning();
  return row;
}

export async function rejectSolution(db: Db, id: string, reviewer?: string): Promise<Solution | undefined> {
  const [row] = await db
    .update(solutions)
    .set({ status: 'rejected', embedding: null, reviewedBy: reviewer ?? null, updatedAt: new Date() })
    .where(eq(solutions.id, id))
    .returning();
  return row;
}

/** A solution as staff review it (without its embedding). */
export function solutionView(s: Solution): SolutionView {
  return {
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
  };
}

/** Solutions for review, newest first; the review queue is status `suggested`. */
export async function listSolutionViews(db: Db, status?: SolutionStatus): Promise<SolutionView[]> {
  return (await listSolutions(db, status)).map(solutionView);
}

export async function getSolution(db: Db, id: string): Promise<SolutionView | undefined> {
  const [row] = await db.select().from(solutions).where(eq(solutions.id, id));
  return row && solutionView(row);
}

/** Staff edits a solution; an approved one is re-embedded so the agent matches the new wording. */
export async function editSolution(
  db: Db,
  embedder: TextEmbedder,
  id: string,
  edits: SolutionEdits,
  reviewer: string,
): Promise<SolutionView | undefined> {
  const [current] = await db.select({ status: solutions.status }).from(solutions).where(eq(solutions.id, id));
  if (!current) return undefined;
  if (current.status === 'approved')
    return reviewSolution(db, embedder, id, { decision: 'approve', edits }, reviewer);
  const [row] = await db
    .update(solutions)
    .set({ ...edits, updatedAt: new Date() })
    .where(eq(solutions.id, id))
    .returning();
  return row && solutionView(row);
}

/** A staff decision on a solution: approve it (optionally edited first), or reject it. */
export type SolutionReview = { decision: 'approve'; edits?: SolutionEdits } | { decision: 'reject' };

/** Records a staff decision on a solution; undefined when there is no such solution. */
export async function reviewSolution(
  db: Db,
  embedder: TextEmbedder,
  id: string,
  review: SolutionReview,
  reviewer: string,
): Promise<SolutionView | undefined> {
  const row =
    review.decision === 'approve'
      ? await approveSolution(db, embedder, id, { ...review.edits, reviewer })
      : await rejectSolution(db, id, reviewer);
  return row && solutionView(row);
}

/** Approved solutions most similar to a problem description, above `minSimilarity`. */
export async function findSimilarSolutions(
  db: Db,
  embedder: TextEmbedder,
  problem: string,
  options: { limit?: number; minSimilarity?: number; product?: string } = {},
): Promise<SolutionMatch[]> {
  const [vector] = await embedder.embed([problem]);
  const literal = `[${vector!.join(',')}]`;
  const dims = sql.raw(`::vector(${embedder.dimensions})`);
  const rows = await queryRows<{
    id: string;
    problem: string;
    resolution: string;
    product: string | null;
    similarity: number;
    times_used: number;
    times_resolved: number;
  }>(
    db,
    sql`SELECT id, problem, resolution, product, times_used, times_resolved,
               1 - (embedding${dims} <=> ${literal}${dims}) AS similarity
        FROM solutions
        WHERE status = 'approved' AND embedding IS NOT NULL AND vector_dims(embedding) = ${embedder.dimensions}
          ${options.product ? sql`AND (product IS NULL OR product = ${options.product})` : sql``}
        ORDER BY embedding${dims} <=> ${literal}${dims}
        LIMIT ${options.limit ?? 3}`,
  );
  return rows
    .map((r) => ({
      id: r.id,
      problem: r.problem,
      resolution: r.resolution,
      product: r.product,
      similarity: Number(r.similarity),
      timesUsed: r.times_used,
      timesResolved: r.times_resolved,
    }))
    .filter((r) => r.similarity >= (options.minSimilarity ?? 0.3));
}

/** Counts an offer of solutions in a conversation, remembered so a later resolution credits them. */
export async function recordSolutionsOffered(db: Db, conversationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.transaction(async (tx) => {
    await tx
      .update(solutions)
      .set({ timesUsed: sql`${solutions.timesUsed} + 1` })
      .where(inArray(solutions.id, ids));
    const [conversation] = await tx
      .select({ metadata: conversations.metadata })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    const offered = new Set([
      ...((conversation?.metadata.offeredSolutions as string[] | undefined) ?? []),
      ...ids,
    ]);
    await tx
      .update(conversations)
      .set({ metadata: { ...conversation?.metadata, offeredSolutions: [...offered] } })
      .where(and(eq(conversations.id, conversationId)));
  });
}
