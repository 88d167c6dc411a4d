import { lightStem } from '../../../knowledge/text.ts';
import { contentTerms } from '../../../knowledge/text.ts';
import { asksForHuman } from '../../prompt.ts';
import { rewriteFollowUp, type Turn } from './follow-up.ts';

export type AccountTopic = 'orders' | 'profile' | 'owned';

export interface Preference {
  key: string;
  value: string;
}

/** What a customer's message asks for, read with patterns rather than a language model. */
export interface CustomerRequest {
  text: string;
  wantsHuman: boolean;
  /** Order numbers mentioned, upper-cased, at most three. */
  orderIds: string[];
  /** Questions about the customer's own data that name no order. */
  accountTopics: AccountTopic[];
  preferences: Preference[];
  /** Catalogue query when the message asks about a product's price, specs or availability, or names a SKU. */
  productQuery: string | undefined;
  /** The message asks only what a product costs, which the catalogue answers better than any passage. */
  priceOnly: boolean;
  /** The message reports something not working. */
  problem: boolean;
  /** A how-to or policy question that the documentation may answer even beside account data. */
  howTo: boolean;
  /** A stand-alone documentation query: follow-ups borrow their subject from earlier turns. */
  searchQuery: string;
  /** A greeting or thanks with nothing to look up. */
  smallTalk: 'greeting' | 'thanks' | undefined;
}

// SKUs have three or more segments (KE-HP-A700); order numbers two (KE-100234), so SKUs are removed first.
const skuPattern = /\b[A-Z]{2,5}-[A-Z0-9]{2,6}(?:-[A-Z0-9]{2,8})+\b/g;
const orderPattern = /\b[A-Z]{2,5}-?\d{4,}\b/gi;

const accountPatterns: [AccountTopic, RegExp][] = [
  [
    'orders',
    /\b(my|our)\s+(?:(?:last|latest|recent|most recent|new)\s+)?(orders?|packages?|parcels?|deliver(?:y|ies)|shipments?|purchases?)\b/i,
  ],
  [
    'profile',
    /\b(my|our)\s+(account|plan|profile|subscription|membership|email address|details)\b|\b(what|which) plan (am i|are we|do i have)\b/i,
  ],
  [
    'owned',
    /\bmy\b.*\bwarrant(?:y|ies)\b|\bmy\s+(devices?|products?|serial numbers?)\b|\bwhat (?:products|devices) do (?:i|we) (?:own|have)\b/i,
  ],
];

const channelPatterns = [
  /\b(?:please\s+)?(e-?mail|text|phone) (?:me|us)\b/i,
  /\bprefer\s+(?:to be contacted\s+)?(?:by\s+|via\s+)?(e-?mail|text messages?|texts|sms|phone calls?|phone|calls)\b/i,
  /\bcontact (?:me|us) (?:by|via|through|on) (e-?mail|text|sms|phone)\b/i,
];
const languagePattern =
  /\b(?:prefer|speak|write|answer|reply|respond|talk)\b[^.?!]{0,24}\b(English|German|French|Spanish|Italian|Dutch|Portuguese|Polish|Swedish|Danish|Norwegian|Finnish|Japanese|Chinese|Korean)\b/i;

const productWords =
  /\b(prices?|priced|costs?|how much|specs?|specifications|in stock|stock|compare|comparison|versus|vs)\b/i;
const priceWords = /\b(prices?|priced|costs?|how much)\b/i;
const problemWords =
  /\b(won[’']?t|doesn[’']?t|does not|not working|isn[’']?t working|stopped working|keeps?|broken|broke|issues?|problems?|errors?|dropping|drops out|disconnect\w*|fail(?:s|ed|ing)?)\b/i;
const howToWords =
  /\b(how (?:do|can|to|long)|can (?:i|we)|returns?|refunds?|cancel\w*|exchange|change|update|delete|reset|polic(?:y|ies)|claim|repair|replace\w*)\b/i;
const thanksWords = /\b(thanks|thank|cheers|appreciated?|bye|goodbye)\b/i;
// Words that carry no request of their own: a message made only of these is a greeting or thanks.
const socialTerms = new Set(
  (
    'hey ok okay great cheers bye goodbye good morning afternoon evening awesome cool perfect nice much lot ' +
    'helped helpful worked fixed solved appreciate appreciated'
  )
    .split(' ')
    .map(lightStem),
);

/** Reads a customer's message; `earlier` turns resolve follow-ups such as "does it work with Android too?". */
export function readRequest(text: string, earlier: Turn[]): CustomerRequest {
  const sku = text.match(skuPattern)?.[0];
  const orderNumbers = text.replace(skuPattern, ' ').match(orderPattern) ?? [];
  const orderIds = [...new Set(orderNumbers.map((id) => id.toUpperCase()))].slice(0, 3);
  const accountTopics = orderIds.length
    ? []
    : accountPatterns.filter(([, re]) => re.test(text)).map(([t]) => t);
  const preferences = statedPreferences(text);
  const searchQuery = rewriteFollowUp(text, earlier).slice(0, 500);
  const productQuery = sku ?? (productWords.test(text) ? productQueryOf(text, searchQuery) : undefined);
  const wantsHuman = asksForHuman(text);
  const asksSomething =
    wantsHuman || orderIds.length > 0 || accountTopics.length > 0 || preferences.length > 0 || !!productQuery;
  const social = !asksSomething && [...contentTerms(text)].every((t) => socialTerms.has(t));
  return {
    text,
    wantsHuman,
    orderIds,
    accountTopics,
    preferences,
    productQuery,
    priceOnly: productQuery !== undefined && priceWords.test(text) && onlyAbout(text, productQuery),
    problem: problemWords.test(text),
    howTo: howToWords.test(text),
    searchQuery,
    smallTalk: !social ? undefined : thanksWords.test(text) ? 'thanks' : 'greeting',
  };
}

/** Whether a price question names nothing but the product ("How much is the Aura 700?"). */
function onlyAbout(text: string, productQuery: string): boolean {
  const subject = contentTerms(`${productQuery} price prices priced cost costs`);
  return [...contentTerms(text.replace(/\bhow much\b/gi, ''))].every((t) => subject.has(t));
}

function statedPreferences(text: string): Preference[] {
  const preferences: Preference[] = [];
  const channel = channelPatterns.map((re) => re.exec(text)?.[1]).find(Boolean);
  if (channel) {
    const value = /mail/i.test(channel) ? 'email' : /text|sms/i.test(channel) ? 'sms' : 'phone';
    preferences.push({ key: 'contact_channel', value });
  }
  const language = languagePattern.exec(text)?.[1];
  if (language)
    preferences.push({
      key: 'language',
      value: language[0]!.toUpperCase() + language.slice(1).toLowerCase(),
    });
  return preferences;
}

/** The product words of a question ("How much are the Flit 2 earbuds?" → "Flit 2 earbuds"). */
function productQueryOf(text: string, searchQuery: string): string | undefined {
  const words = (source: string) =>
    (source.match(/[\p{L}\p{N}]+/gu) ?? []).filter(
      (w) => !productWords.test(w) && !/^much$/i.test(w) && (/\d/.test(w) || contentTerms(w).size > 0),
    );
  // A follow-up ("how much is it?") names no product itself; the rewritten query carries the earlier subject.
  const own = words(text);
  const query = (own.length ? own : words(searchQuery)).join(' ');
  return query || undefined;
}
