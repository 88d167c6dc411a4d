import { tool } from 'ai';
import { z } from 'zod';
import { passageRelevance } from '../../knowledge/relevance.ts';
import { searchKnowledge } from '../../knowledge/search.ts';
import { withSpan } from '../../ops/telemetry.ts';
import { type ToolContext, toolError } from './context.ts';

export const searchKnowledgeInput = z.object({
  query: z
    .string()
    .min(1)
    .max(500)
    .describe('A stand-alone search query: resolve "it", "that" from the conversation'),
  product: z.string().max(64).optional().describe('Only documents about this product SKU, if known'),
});

/** Searches the company's documentation; passages below the relevance threshold are withheld. */
export function searchKnowledgeTool(ctx: ToolContext) {
  return tool({
    description:
      "Search the company's help documentation (guides, troubleshooting, policies, FAQ). Returns numbered " +
      'passages to cite as [S1], [S2]. An empty result means the documentation does not cover the question.',
    inputSchema: searchKnowledgeInput,
    execute: async ({ query, product }) => {
      try {
        // The query may quote the customer, so the span records its length, not its text.
        const relevant = await withSpan(
          'parley.retrieval',
          { 'parley.retrieval.query_length': query.length },
          async (span) => {
            const hits = await searchKnowledge({ db: ctx.db, embedder: ctx.embedder }, query, {
              limit: 5,
              product,
            });
            const scored = hits.map((h) => ({ hit: h, relevance: passageRelevance(query, h) }));
            const kept = scored.filter((x) => x.relevance >= ctx.abstainThreshold);
            span.setAttributes({
              'parley.retrieval.hits': hits.length,
              'parley.retrieval.passages': kept.length,
              ...(scored.length > 0
                ? { 'parley.retrieval.best_relevance': Math.max(...scored.map((x) => x.relevance)) }
                : {}),
            });
            return kept;
          },
        );
        if (relevant.length === 0) {
          ctx.ledger.emptySearches++;
          return { passages: [], note: 'Nothing in the documentation is relevant to this query.' };
        }
        return {
          passages: relevant.map(({ hit, relevance }) => {
            const p = ctx.ledger.addPassage({
              source: hit.source,
              documentId: hit.documentId,
              versionId: hit.versionId,
              chunkId: hit.chunkId,
              heading: hit.heading,
              title: hit.title,
              text: hit.text,
              relevance,
            });
            return { ref: p.ref, title: p.title, heading: p.heading, text: p.text };
          }),
        };
      } catch (error) {
        return toolError(`Search failed: ${(error as Error).message}`);
      }
    },
  });
}
