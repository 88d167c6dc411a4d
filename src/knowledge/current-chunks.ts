import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { chunks } from '../db/schema/index.ts';

// Which chunks search sees is the `is_current` flag, and switching a version touches every chunk of it. On the
// embedded database (PGlite) each statement runs on the server's thread, so one statement over a 10,000-chunk
// version would hold every request for seconds: setting the flag adds each chunk to the vector and full-text indexes
// (as costly as inserting it: 9 s for 10,101 chunks under load), clearing it writes a new row version of each
// (0.2 s). So both go in batches with the event loop running between them, inside the caller's transaction, which
// keeps the switch atomic for readers. A Postgres server sees a few more round trips.
const chunksPerSet = 10;
const chunksPerClear = 250;

const letEventLoopRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps the full-text index's merges short for the rest of the transaction. A GIN index gathers new entries in a
 * pending list and merges it into the index inside whichever insert takes it past `gin_pending_list_limit`: at the
 * default 4 MB, about 1,000 chunks, that one 10-row statement ran 80-95 ms of CPU on a loaded 2-core machine, against
 * 30-40 ms at 1 MB for about the same total time (bench/RESULTS.md, "Hostile uploads").
 */
export async function limitIndexMerges(tx: Db): Promise<void> {
  await tx.execute(sql`SET LOCAL gin_pending_list_limit = '1MB'`);
}

/** Takes every chunk of a document out of search. Call it inside a transaction (see above). */
export async function clearCurrentChunks(tx: Db, documentId: string): Promise<void> {
  for (let first = true; ; first = false) {
    if (!first) await letEventLoopRun();
    const batch = tx
      .select({ id: chunks.id })
      .from(chunks)
      .where(and(eq(chunks.documentId, documentId), eq(chunks.isCurrent, true)))
      .limit(chunksPerClear);
    const cleared = await tx
      .update(chunks)
      .set({ isCurrent: false })
      .where(inArray(chunks.id, batch))
      .returning({ id: chunks.id });
    if (cleared.length < chunksPerClear) return;
  }
}

/** Puts every chunk of a version into search, in order of their ordinals. Call it inside a transaction. */
export async function setCurrentChunks(tx: Db, versionId: string): Promise<void> {
  const [range] = await tx
    .select({ last: sql<number | null>`max(${chunks.ordinal})` })
    .from(chunks)
    .where(eq(chunks.versionId, versionId));
  const last = range?.last ?? -1;
  for (let from = 0; from <= last; from += chunksPerSet) {
    if (from > 0) await letEventLoopRun();
    await tx
      .update(chunks)
      .set({ isCurrent: true })
      .where(
        and(
          eq(chunks.versionId, versionId),
          gte(chunks.ordinal, from),
          lt(chunks.ordinal, from + chunksPerSet),
        ),
      );
  }
}
