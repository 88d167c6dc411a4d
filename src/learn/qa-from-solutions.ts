import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { conversations, customers, solutions } from '../db/schema/index.ts';
import { PiiScrubber } from './pii.ts';
import type { QaCandidate } from './qa-candidate.ts';

/**
 * Proposes one pair per approved solution: the problem as the question, the resolution as the answer. Staff
 * already reviewed these, so they rank above pairs drawn from a single conversation. The customer of the
 * solution's source conversation, if any, is scrubbed by name.
 */
export async function pairsFromSolutions(db: Db, skipKeys: Set<string>): Promise<QaCandidate[]> {
  const rows = await db
    .select({
      id: solutions.id,
      problem: solutions.problem,
      resolution: solutions.resolution,
      product: solutions.product,
      customerName: customers.name,
    })
    .from(solutions)
    .leftJoin(conversations, eq(conversations.id, solutions.conversationId))
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(solutions.status, 'approved'))
    .orderBy(asc(solutions.createdAt));
  return rows
    .filter((s) => !skipKeys.has(`solution:${s.id}`))
    .map((s) => {
      const scrubber = new PiiScrubber([s.customerName]);
      const question = scrubber.scrub(s.problem.trim());
      return {
        question,
        answer: scrubber.scrub(s.resolution.trim()),
        sourceType: 'solution',
        sourceId: s.id,
        sourceKey: `solution:${s.id}`,
        sourceLabel: `solution: ${question.slice(0, 80)}${s.product ? ` (${s.product})` : ''}`,
        citations: [],
        transcript: [],
        generator: 'solution',
        quality: 0.95,
      };
    });
}
