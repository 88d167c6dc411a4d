import { tool } from 'ai';
import { z } from 'zod';
import { wellFormedText } from '../../contracts/well-formed.ts';
import { withSpan } from '../../ops/telemetry.ts';
import { findSimilarSolutions, recordSolutionsOffered } from '../../support/solutions.ts';
import { type ToolContext, toolError, toolInput } from './tool-context.ts';

const solutionsInput = toolInput(
  z.object({
    problem: z.string().min(3).max(1000).describe("The customer's problem in a sentence"),
    product: z.string().max(64).optional().describe('Product SKU, if known'),
  }),
);

/** Approved solutions that resolved similar problems before. */
export function suggestSolutionsTool(ctx: ToolContext) {
  return tool({
    description: 'Find fixes that solved similar problems for other customers (reviewed by support staff).',
    inputSchema: solutionsInput,
    execute: async (input) => {
      const problem = wellFormedText(input.problem);
      const product = input.product === undefined ? undefined : wellFormedText(input.product);
      try {
        // The span records a failure; the model gets no database text.
        const matches = await withSpan('parley.solutions', {}, () =>
          findSimilarSolutions(ctx.db, ctx.embedder, problem, { limit: 3, product }),
        );
        await recordSolutionsOffered(
          ctx.db,
          ctx.conversationId,
          matches.map((m) => m.id),
        );
        matches.forEach((m) => ctx.ledger.offeredSolutions.add(m.id));
        return {
          solutions: matches.map((m) => ({
            problem: m.problem,
            resolution: m.resolution,
            resolvedBefore: m.timesResolved,
          })),
        };
      } catch {
        return toolError('The lookup of earlier solutions failed. Answer from the documentation instead.');
      }
    },
  });
}
