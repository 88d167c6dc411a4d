import { tool } from 'ai';
import { z } from 'zod';
import { findProducts } from '../../support/products.ts';
import { type ToolContext, toolInput } from './tool-context.ts';

const lookupInput = toolInput(
  z.object({ query: z.string().min(1).max(200).describe('Product name or SKU') }),
);

/** Product catalogue lookup by name or SKU, forgiving typos. Open to everyone. */
export function lookupProductTool(ctx: ToolContext) {
  return tool({
    description:
      'Look up products in the catalogue by name or SKU (partial names and typos are fine): price, specs.',
    inputSchema: lookupInput,
    execute: async ({ query }) => {
      const products = await findProducts(ctx.db, query, 3);
      if (products.length === 0) return { products: [], note: `No product matches "${query}".` };
      return { products };
    },
  });
}
