import { toolNames } from '../../contracts/limits.ts';
import { type ToolContext } from './tool-context.ts';
import { customerProfileTool } from './customer-profile.ts';
import { escalateTool } from './escalate.ts';
import { lookupProductTool } from './lookup-product.ts';
import { listOrdersTool, orderStatusTool } from './orders.ts';
import { ownedProductsTool } from './owned-products.ts';
import { readPreferencesTool, rememberPreferenceTool } from './preferences.ts';
import { searchKnowledgeTool } from './search-knowledge.ts';
import { suggestSolutionsTool } from './suggest-solutions.ts';

export { type Passage, type ToolContext, TurnLedger } from './tool-context.ts';

export { toolNames } from '../../contracts/limits.ts';

/**
 * The tools of one session. Customer tools exist only when the session identifies a customer; an anonymous
 * visitor's model cannot even name them.
 */
export function buildTools(ctx: ToolContext) {
  const common = {
    [toolNames.searchKnowledge]: searchKnowledgeTool(ctx),
    [toolNames.lookupProduct]: lookupProductTool(ctx),
    [toolNames.suggestSolutions]: suggestSolutionsTool(ctx),
    [toolNames.escalate]: escalateTool(ctx),
  };
  const identity = ctx.identity;
  if (identity.kind !== 'customer') return common;
  const customer = { ...ctx, identity };
  return {
    ...common,
    [toolNames.customerProfile]: customerProfileTool(customer),
    [toolNames.listOrders]: listOrdersTool(customer),
    [toolNames.orderStatus]: orderStatusTool(customer),
    [toolNames.ownedProducts]: ownedProductsTool(customer),
    [toolNames.rememberPreference]: rememberPreferenceTool(customer),
    [toolNames.readPreferences]: readPreferencesTool(customer),
  };
}

export type SessionTools = ReturnType<typeof buildTools>;
