import { toolNames } from '../../tools/index.ts';
import { type AccountTopic, type CustomerRequest } from './request.ts';

export interface PlannedCall {
  toolName: string;
  input: Record<string, unknown>;
}

const accountTools: Record<AccountTopic, string> = {
  orders: toolNames.listOrders,
  profile: toolNames.customerProfile,
  owned: toolNames.ownedProducts,
};

/**
 * The tool calls that gather what a request needs, limited to the tools offered: an anonymous visitor's
 * session has no customer tools, and the answer then asks them to sign in instead.
 */
export function planToolCalls(request: CustomerRequest, offered: ReadonlySet<string>): PlannedCall[] {
  const calls: PlannedCall[] = [];
  const call = (toolName: string, input: Record<string, unknown>) => {
    if (offered.has(toolName)) calls.push({ toolName, input });
  };

  if (request.wantsHuman) call(toolNames.escalate, { reason: 'Customer asked for a person' });
  for (const orderId of request.orderIds) call(toolNames.orderStatus, { orderId });
  for (const topic of request.accountTopics) call(accountTools[topic], {});
  for (const { key, value } of request.preferences) call(toolNames.rememberPreference, { key, value });
  if (request.productQuery) call(toolNames.lookupProduct, { query: request.productQuery.slice(0, 200) });
  if (request.problem) call(toolNames.suggestSolutions, { problem: request.text.slice(0, 1000) });

  // The documentation is the default source, and backs up product and problem answers; account look-ups,
  // preferences and hand-overs need it only when the message also asks how something works or what the policy is.
  // An account question a visitor's session cannot look up is still searched: the documentation may answer its
  // general part (delivery times, how to change an address), and otherwise says it does not.
  const specific =
    request.wantsHuman ||
    request.orderIds.length > 0 ||
    request.accountTopics.some((topic) => offered.has(accountTools[topic])) ||
    request.preferences.length > 0;
  const needsDocs = !specific || request.productQuery !== undefined || request.problem || request.howTo;
  if (needsDocs && !request.smallTalk) {
    call(toolNames.searchKnowledge, { query: request.searchQuery });
    // A follow-up is also searched as asked: the rewrite brings the subject of earlier turns, the question alone
    // keeps its own focus, and together they find more than either (bench/AGENT-RESULTS.md, context).
    const asAsked = request.text.slice(0, 500);
    if (request.searchQuery !== asAsked) call(toolNames.searchKnowledge, { query: asAsked });
  }
  return calls;
}
