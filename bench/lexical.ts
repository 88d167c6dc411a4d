import { sql } from 'drizzle-orm';
import { type Db } from '../src/db/client.ts';
import { lexicalCandidates } from '../src/knowledge/lexical.ts';
import { type LatencyStats, since, timedPasses } from './stats.ts';

/**
 * The lexical half of searchKnowledge on its own (`lexicalCandidates` with the 40-candidate pool a limit-10
 * search asks for), to see which half of a search costs what. Its term statistics are cached per database, as
 * in the server; the searches measured before this one have warmed that cache.
 */
export async function measureLexical(
  db: Db,
  queries: string[],
  runs: number,
  budgetMs: number,
): Promise<LatencyStats & { passes: number }> {
  const texts = queries.map((q) => q.trim().slice(0, 2000));
  return timedPasses(runs, budgetMs, async () => {
    const times: number[] = [];
    for (const text of texts) {
      const start = performance.now();
      await lexicalCandidates(db, text, sql``, 40);
      times.push(since(start));
    }
    return times;
  });
}
