import { z } from 'zod';
import { findTerm } from './handoff-terms.ts';
import { asksForHuman } from './prompt.ts';

/** Why a message goes to a person: the built-in categories, or any reason a company's own rule names. */
export type HandoffReason = 'safety' | 'legal' | 'privacy' | 'requested' | (string & Record<never, never>);

/**
 * A hand-off rule, built in or from the company profile's `handoffRules`. A term is a phrase of whole words
 * ("burning smell") matched with its plain inflections (smell, smells, smelled, smelling); `|` separates
 * alternatives, each a whole phrase ("swollen battery|bulging battery"); `a ~ b` matches when a and b occur
 * within six words of each other in either order ("battery ~ swollen|bulging"), `a ~2 b` within two. `except`
 * lists phrases that cancel a term found inside them ("fire tv" for "fire"); a company's exceptions also apply
 * to the built-in terms of the same reason. `instruction` is what the answer must begin with.
 */
export const HandoffRule = z.object({
  reason: z.string().min(1).max(40),
  terms: z.array(z.string().min(1).max(300)).max(200),
  instruction: z.string().min(1).max(1000).optional(),
  except: z.array(z.string().min(1).max(300)).max(200).optional(),
});
export type HandoffRule = z.infer<typeof HandoffRule>;

/** The part of the company profile the rules read; anything malformed in it is ignored, not thrown. */
export interface HandoffProfile {
  handoffRules?: unknown;
}

/** The well-formed rules of a profile: a bad entry in stored settings must not break every turn. */
function companyRules(profile: HandoffProfile): HandoffRule[] {
  if (!Array.isArray(profile.handoffRules)) return [];
  return profile.handoffRules.flatMap((r) => {
    const parsed = HandoffRule.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

export interface HandoffMatch {
  reason: HandoffReason;
  /** The term that fired (absent for an explicit request for a person). */
  term?: string;
  instruction?: string;
}

/** Said first whenever a safety rule fires and the company gave no instruction of its own. */
export const defaultSafetyInstruction =
  'For your safety, stop using it and unplug it or switch it off at the wall, but only if you can do that ' +
  "without touching anything hot, sparking or wet. Don't charge it, open it or cool it with water, and move it " +
  'away from anything that can burn. If you see flames or heavy smoke, leave the room and call your local ' +
  'emergency number.';

// Words near which "hot", "melting" or "sparks" mean a device in trouble rather than a deal or the weather.
const device =
  'battery|batteries|charger|charging|cable|cord|wire|wiring|plug|adapter|socket|outlet|power bank|port|device|' +
  'phone|laptop|unit|case|earbuds|headphones|speaker|hub|bulb|appliance';
const liquid = 'water|liquid|coffee|tea|juice|drink|soda|wine|beer|milk|rain|wet|spilled|spilt|soaked';

const builtInRules: HandoffRule[] = [
  {
    reason: 'safety',
    terms: [
      'smoke|smoking|smoky|smoked',
      'burning smell|smell of burning|smells burnt|burnt smell|burned smell|smell ~ burning|burnt|burned|melting|smoke',
      'burn mark|scorch|scorched|scorch mark',
      'fire|flames|flame',
      `sparks|sparking|sparked ~ ${device}|came|coming|flew|flying|saw|see|out`,
      'spark ~ came out|coming out|flew|flying',
      `swollen|swelling|swelled|bulging|bulge|puffed up|puffy|expanded|leaking ~ ${device}`,
      `hot|too hot|very hot|really hot|extremely hot ~2 ${device}`,
      'too hot to touch|hot to the touch|burning hot|scalding',
      'overheat',
      `melt ~ ${device}|plastic`,
      'electric shock|electrical shock|electrocuted|got a shock|gave me a shock|getting shocks',
      `shock ~ ${device}|touched|touching`,
      `${liquid} ~ plugged in|plugged|charging|outlet|socket|while on|turned on|switched on`,
    ],
    except: [
      'smoke alarm',
      'smoke detector',
      'smoke sensor',
      'smoke test',
      'smoke tests',
      'no smoking',
      'fire tv',
      'fire stick',
      'fire tablet',
      'fire hd',
      'kindle fire',
      'amazon fire',
      'fire alarm',
      'fire detector',
      'fired',
      'firing',
      'fire up',
      'fire off',
      'fire and forget',
      'flame graph',
      'hot deal',
      'hot deals',
      'hot spot',
      'hotspot',
      'hot swap',
      'hot plug',
      'hot reload',
      'hot key',
      'hot water',
      'hot tub',
    ],
  },
  {
    reason: 'legal',
    terms: [
      'lawyer|attorney|solicitor|lawsuit|litigation|class action|legal action|legal proceedings|legal team',
      // Contiguous phrases only: Sue is also a name.
      "sue you|sue your|sue the|sue them|going to sue|gonna sue|will sue|i'll sue|sued|suing",
      'see you in court|take you to court|small claims',
      'court ~ take|taking|go|going|see',
      'chargeback|trading standards|consumer protection|ombudsman',
      'charge back ~ bank|card|credit',
    ],
  },
  {
    reason: 'privacy',
    terms: [
      'gdpr|ccpa|right to be forgotten|subject access request|data access request|data protection officer',
      'delete|erase|remove|copy|export ~ my data|my personal data|my personal information|all my data',
      'what data ~ you have|you hold|you keep|you store|you collect',
      'data breach|privacy complaint|privacy request',
    ],
    except: ['data plan', 'mobile data', 'data usage', 'data allowance', 'data roaming'],
  },
];

/** The rules in the order they are tried: each category's company rules before its built-in ones. */
function rulesFor(profile: HandoffProfile): HandoffRule[] {
  const own = companyRules(profile);
  const ordered: HandoffRule[] = [];
  for (const builtIn of builtInRules) {
    const company = own.filter((r) => r.reason === builtIn.reason);
    // A company's exceptions for a category also apply to the built-in terms ("fire" is a product name here).
    const except = [...(builtIn.except ?? []), ...company.flatMap((r) => r.except ?? [])];
    ordered.push(...company, { ...builtIn, except });
  }
  ordered.push(...own.filter((r) => !builtInRules.some((b) => b.reason === r.reason)));
  return ordered;
}

/**
 * The hand-off rule a customer's message triggers, if any: safety first, then legal and privacy requests, then
 * the company's own categories, then an explicit request for a person. Deterministic and model-independent, so
 * these hand-offs happen whatever the model does. Safety matches carry the instruction the answer must begin with.
 * @example matchHandoffRule('My charger smells of burning', {}) // { reason: 'safety', term: ..., instruction: ... }
 */
export function matchHandoffRule(message: string, profile: HandoffProfile = {}): HandoffMatch | undefined {
  for (const rule of rulesFor(profile)) {
    const term = findTerm(message, rule.terms, rule.except ?? []);
    if (!term) continue;
    const instruction = rule.instruction ?? (rule.reason === 'safety' ? defaultSafetyInstruction : undefined);
    return { reason: rule.reason, term, ...(instruction ? { instruction } : {}) };
  }
  if (asksForHuman(message)) return { reason: 'requested' };
  return undefined;
}

/** What the agent does with a hand-off rule that fired. */
export interface HandoffDecision {
  reason: HandoffReason;
  /** Recorded as the conversation's escalation reason (what `escalateConversation` takes). */
  escalationReason: string;
  /** The text the answer must begin with: the rule's instruction followed by a blank line, or ''. */
  answerPrefix: string;
  /** A line for the model's instructions: the hand-off is done, what to say and what not to do. */
  promptNote: string;
}

const escalationReasons: Record<string, string> = {
  safety: 'Safety issue reported',
  legal: 'Legal matter raised',
  privacy: 'Privacy or personal-data request',
  requested: 'Customer asked for a person',
};

/**
 * Checks a customer's message against the hand-off rules before the model runs, and says what the agent must
 * do when one fires: escalate with `escalationReason`, add `promptNote` to the instructions, and make the answer
 * begin with `answerPrefix` (see `withHandoffPrefix`). Undefined when no rule fires.
 */
export function applyHandoffRule(message: string, profile: HandoffProfile = {}): HandoffDecision | undefined {
  const match = matchHandoffRule(message, profile);
  if (!match) return undefined;
  const why = escalationReasons[match.reason] ?? `Hand-off rule: ${match.reason}`;
  const escalationReason = match.term ? `${why} (matched "${match.term}")` : why;
  const promptNote =
    `This conversation has been handed to the support team (${match.reason}). ` +
    (match.instruction
      ? 'Your reply already begins with the safety instruction: do not repeat it, do not suggest troubleshooting ' +
        'steps, '
      : 'Do not try to resolve the matter yourself, ') +
    'confirm that a person will take over and say when they can expect a reply.';
  return {
    reason: match.reason,
    escalationReason,
    answerPrefix: match.instruction ? `${match.instruction}\n\n` : '',
    promptNote,
  };
}

/** The answer with the hand-off's prefix in front, once (an answer that already begins with it is kept). */
export function withHandoffPrefix(answer: string, decision: HandoffDecision | undefined): string {
  if (!decision?.answerPrefix) return answer;
  if (answer.startsWith(decision.answerPrefix.trim())) return answer;
  return `${decision.answerPrefix}${answer.trimStart()}`;
}
