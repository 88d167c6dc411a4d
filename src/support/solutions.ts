import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { conversations, messages, type Solution, solutions } from '../db/schema/index.ts';
import { type Embedder } from '../knowledge/embed/embedder.ts';

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
 * the approved solutions the agent offered in it with a successful resolution. One transaction.
 */
export async function resolveConversation(db: Db, conversationId: string): Promise<Solution | undefined> {
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
    const resolution = turns.findLast((t) => t.role === 'assistant')?.content;
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
  embedder: Embedder,
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

/** Approved solutions most similar to a problem description, above `minSimilarity`. */
export async function findSimilarSolutions(
  db: Db,
  embedder: Embedder,
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
