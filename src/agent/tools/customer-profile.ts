import { tool } from 'ai';
import { z } from 'zod';
import { getCustomerProfile } from '../../support/customers.ts';
import { type ToolContext, toolError, toolInput } from './tool-context.ts';

const noInput = toolInput(z.object({}));

/** The signed-in customer's own profile. Only built for customer sessions. */
export function customerProfileTool(
  ctx: ToolContext & { identity: { kind: 'customer'; customerId: string } },
) {
  return tool({
    description: "The signed-in customer's profile: name, email, plan, customer since.",
    inputSchema: noInput,
    execute: async () => {
      const profile = await getCustomerProfile(ctx.db, ctx.identity.customerId);
      if (!profile) return toolError('The account could not be found.');
      ctx.ledger.dataLookups++;
      return {
        profile: {
          id: profile.id,
          name: profile.name,
          email: profile.email,
          plan: profile.plan,
          customerSince: profile.customerSince,
        },
      };
    },
  });
}
