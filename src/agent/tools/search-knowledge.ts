import { tool } from 'ai';
import { z } from 'zod';
import { wellFormedText } from '../../contracts/well-formed.ts';
import { passagesHoldingAnswer } from '../../knowledge/answer-forms.ts';
import { readQuestion } from '../../knowledge/question-reading.ts';
import { judgeRelevance, queryExpansions } from '../../knowledge/relevance-gate.ts';
import { searchKnowledge } from '../../knowledge/search.ts';
import { withSpan } from '../../ops/telemetry.ts';
import { type ToolContext, toolError, toolInput } from './tool-context.ts';

const searchInput = toolInput(
  z.object({
    query: z
      .string()
      .min(1)
      .max(500)
      .describe('A stand-alone search query: resolve "it", "that" from the conversation'),
    product: z.string().max(64).optional().describe('Only documents about this product SKU, if known'),
  }),
);

// Passages retrieved for the relevance judgement, and the most shown to the model. Near-copies of one page
// (the same section in two documents) can fill five places; a sixth leaves room for another page.
const retrieved = 8;
const shown = 6;

/** Searches the company's documentation; passages the relevance judgement declines are withheld. */
export function searchKnowledgeTool(ctx: ToolContext) {
  return tool({
    description:
      "Search the company's help documentation (guides, troubleshooting, policies, FAQ). Returns numbered " +
      'passages to cite as [S1], [S2]. An empty result means the documentation does not cover the question.',
    inputSchema: searchInput,
    execute: async (input) => {
      // The model wrote the query: a NUL or a lone surrogate in it would fail the database queries.
      const query = wellFormedText(input.query);
      const product = input.product === undefined ? undefined : wellFormedText(input.product);
      try {
        // The query may quote the customer, so the span records its length, not its text.
        const relevant = await withSpan(
          'parley.retrieval',
          { 'parley.retrieval.query_length': query.length },
          async (span) => {
            // Spelling and concepts are read once, for the search's expansions and for the judgement.
            const reading = await readQuestion(ctx.db, query);
            // More passages than are shown: the judgement compares them, and the best may not rank first.
            const hits = await searchKnowledge({ db: ctx.db, embedder: ctx.embedder }, query, {
              limit: retrieved,
              product,
              expansions: await queryExpansions(ctx.db, query, reading),
            });
            // A question asking for a phone number, a price, ...: passages holding one are judged beside them.
            const holding = await passagesHoldingAnswer(ctx.db, query, hits, { product });
            const judgement = await judgeRelevance(
              { db: ctx.db, embedder: ctx.embedder },
              query,
              [...hits, ...holding],
              ctx.abstainThreshold,
              reading,
            );
            const kept = judgement.passages.slice(0, shown);
            span.setAttributes({
              'parley.retrieval.hits': hits.length,
              'parley.retrieval.passages': kept.length,
              'parley.retrieval.best_relevance': judgement.best,
              ...(judgement.declined ? { 'parley.retrieval.declined': judgement.declined } : {}),
            });
            return kept;
          },
        );
        if (relevant.length === 0) {
          ctx.ledger.emptySearches++;
          return { passages: [], note: 'Nothing in the documentation is relevant to this query.' };
        }
        return {
          passages: relevant.map(({ hit, relevance, matched }) => {
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
            // `matched` names the passage words that answer to the query's, synonyms included.
            return { ref: p.ref, title: p.title, heading: p.heading, text: p.text, matched };
          }),
        };
      } catch {
        // The span holds the error; the model (and the stored transcript) gets no database text.
        return toolError('The documentation search failed. Tell the customer and offer a person.');
      }
    },
  });
}
