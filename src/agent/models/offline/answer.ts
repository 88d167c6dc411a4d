import { toolNames } from '../../tools/index.ts';
import { isRecord, type ToolOutcome } from './conversation.ts';
import { extractAnswer } from './extract.ts';
import { type QuotedPassage } from './passage-units.ts';
import {
  describeOrder,
  describeOrders,
  describeOwnedProducts,
  describeProducts,
  namedProducts,
  describeProfile,
  type OrderRecord,
  type OwnedProductRecord,
  type ProductRecord,
  type ProfileRecord,
} from './records.ts';
import { type CustomerRequest } from './request.ts';

export interface AnswerInput {
  request: CustomerRequest;
  /** This turn's tool results; empty when the request needed no tools or none could be called. */
  results: ToolOutcome[];
  /** Names of the tools the session offers. */
  offered: ReadonlySet<string>;
  instructions: string;
  companyName: string | undefined;
}

const offerPerson = 'Would you like me to connect you with a member of our support team?';

/**
 * The reply to a request from this turn's tool results: facts from account and catalogue tools, an
 * extractive, cited answer from the documentation, and a plain "the documentation doesn't cover this" with
 * the offer of a person when nothing relevant was found. Nothing is said that no tool returned.
 */
export function composeAnswer({ request, results, offered, instructions, companyName }: AnswerInput): string {
  const resultsOf = (toolName: string) => results.filter((r) => r.toolName === toolName);
  const sections: string[] = [];
  // Whether some tool answered the question itself, so an empty documentation search is no reason to abstain.
  let answered = false;

  const handOvers = resultsOf(toolNames.escalate);
  const handedOver = handOvers.some((r) => !r.error);
  if (handOvers.length) {
    const handOver = handedOver
      ? "I've passed this conversation to our support team: a member of the team will take over as soon as possible."
      : "I couldn't hand this conversation over to the support team just now; please try again in a moment.";
    sections.push([handOver, contactText(instructions)].filter(Boolean).join(' '));
  }

  for (const r of resultsOf(toolNames.orderStatus)) {
    const order = field<OrderRecord>(r.value, 'order');
    sections.push(
      order
        ? describeOrder(order)
        : `I couldn't find order ${String(r.input.orderId ?? '')} on your account. Could you check the number?`,
    );
    answered ||= order !== undefined;
  }
  for (const r of resultsOf(toolNames.listOrders)) {
    const orders = field<OrderRecord[]>(r.value, 'orders');
    sections.push(orders ? describeOrders(orders) : "I couldn't look up your orders just now.");
    answered ||= orders !== undefined;
  }
  for (const r of resultsOf(toolNames.customerProfile)) {
    const profile = field<ProfileRecord>(r.value, 'profile');
    sections.push(profile ? describeProfile(profile) : "I couldn't open your account details just now.");
    answered ||= profile !== undefined;
  }
  for (const r of resultsOf(toolNames.ownedProducts)) {
    const products = field<OwnedProductRecord[]>(r.value, 'products');
    sections.push(
      products ? describeOwnedProducts(products, request.text) : "I couldn't look up your products just now.",
    );
    answered ||= products !== undefined;
  }

  const remembered = resultsOf(toolNames.rememberPreference);
  const saved = remembered.flatMap((r) =>
    r.error ? [] : [preferenceText(String(r.input.key), String(r.input.value))],
  );
  if (saved.length) sections.push(`Got it: I'll remember that you prefer ${saved.join(' and ')}.`);
  for (const r of remembered.filter((r) => r.error))
    sections.push(`I couldn't save that preference: ${r.error}`);

  let priced = false;
  // A question read as a product look-up may be answered by the documentation: the catalogue's near matches
  // (no product of that name), or the news that it has no such product, come only when the documentation does
  // not answer either.
  const unmatched: string[] = [];
  for (const r of resultsOf(toolNames.lookupProduct)) {
    const products = field<ProductRecord[]>(r.value, 'products') ?? [];
    const query = String(r.input.query ?? '');
    const named = namedProducts(products, query).length > 0;
    const described = products.length ? describeProducts(products, query, request.text) : '';
    if (named) sections.push(described);
    else if (products.length)
      unmatched.push(
        `I couldn't find a product named "${query}". The closest in our catalogue:\n${described}`,
      );
    else unmatched.push(`I couldn't find a product matching "${query}" in our catalogue.`);
    priced ||= named;
  }
  answered ||= priced;

  const solutions = resultsOf(toolNames.suggestSolutions)
    .flatMap((r) => field<{ resolution?: string }[]>(r.value, 'solutions') ?? [])
    .flatMap((s) => (s.resolution ? [s.resolution.trim()] : []));
  if (solutions.length) {
    sections.push(
      [
        `This fixed it for other customers: ${solutions[0]}`,
        ...solutions.slice(1, 2).map((s) => `Another fix that worked: ${s}`),
      ].join('\n'),
    );
    answered = true;
  }

  // A price the catalogue gave needs no passages mentioning other prices beside it.
  const priceAnswered = request.priceOnly && priced;
  const searches = priceAnswered ? [] : resultsOf(toolNames.searchKnowledge);
  const passages = searches.flatMap((r) => field<QuotedPassage[]>(r.value, 'passages') ?? []);
  const docs = passages.length
    ? extractAnswer(passages, request.text, String(searches[0]?.input.query ?? request.text))
    : '';
  if (docs) sections.push(docs);
  else {
    sections.push(...unmatched);
    if (searches.length && !answered && !handedOver) {
      const failed = searches.every((r) => r.error);
      sections.push(
        `${failed ? "I couldn't search our documentation just now" : "Our documentation doesn't cover this"}, and I don't want to guess. ${offerPerson}`,
      );
    }
  }

  const signIn = signInNeeds(request, offered);
  if (signIn.length) {
    sections.push(
      `Please sign in first so I can ${signIn.join(' and ')}: I can only see account details for signed-in customers. ` +
        'I can still answer general questions about our products and policies.',
    );
  }

  if (sections.length) return sections.join('\n\n');
  if (request.smallTalk === 'thanks') return "You're welcome! If anything else comes up, I'm here to help.";
  if (request.smallTalk === 'greeting') {
    const name = companyName ?? companyNameIn(instructions);
    return `Hello! I'm the support assistant${name ? ` of ${name}` : ''}. How can I help you today?`;
  }
  return `I can't look that up right now, and I don't want to guess. ${offerPerson}`;
}

/** What the visitor asked for that only a signed-in customer's tools can do. */
function signInNeeds(request: CustomerRequest, offered: ReadonlySet<string>): string[] {
  const needs: string[] = [];
  if (request.orderIds.length && !offered.has(toolNames.orderStatus))
    needs.push(`check order ${request.orderIds.join(', ')}`);
  const topics = {
    orders: toolNames.listOrders,
    profile: toolNames.customerProfile,
    owned: toolNames.ownedProducts,
  };
  const phrases = {
    orders: 'look up your orders',
    profile: 'see your account',
    owned: 'look up your products and warranties',
  };
  for (const topic of request.accountTopics) if (!offered.has(topics[topic])) needs.push(phrases[topic]);
  if (request.preferences.length && !offered.has(toolNames.rememberPreference))
    needs.push('remember your preferences');
  return needs;
}

/** The support hours and contact details the instructions give, if any; never invented. */
function contactText(instructions: string): string {
  const hours = /^Human support: (.+?)\.?$/m.exec(instructions)?.[1];
  return hours ? `Our support team's hours and contact details: ${hours}.` : '';
}

function companyNameIn(instructions: string): string | undefined {
  const name = /customer-support assistant of (.+?)(?: \(|\.\s|\.$)/m.exec(instructions)?.[1];
  return name && name !== 'our company' ? name : undefined;
}

function preferenceText(key: string, value: string): string {
  if (key === 'contact_channel') return `to be contacted by ${value === 'sms' ? 'text message' : value}`;
  if (key === 'language') return value;
  return `${key.replace(/_/g, ' ')}: ${value}`;
}

function field<T>(value: unknown, key: string): T | undefined {
  return isRecord(value) && value[key] !== undefined && value[key] !== null ? (value[key] as T) : undefined;
}
