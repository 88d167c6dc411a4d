import { tool } from 'ai';
import { z } from 'zod';
import { listOwnedProducts } from '../../support/orders.ts';
import { type ToolContext, toolInput } from './tool-context.ts';

const noInput = toolInput(z.object({}));

/** Products the signed-in customer owns, with serial numbers and warranty status. */
export function ownedProductsTool(ctx: ToolContext & { identity: { kind: 'customer'; customerId: string } }) {
  return tool({
    description:
      'Products the signed-in customer owns, with serial numbers, purchase dates and warranty status.',
    inputSchema: noInput,
    execute: async () => {
      const products = await listOwnedProducts(ctx.db, ctx.identity.customerId);
      ctx.ledger.dataLookups++;
      return { products };
    },
  });
}
