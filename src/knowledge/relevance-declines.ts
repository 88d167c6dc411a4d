import { holdsPhrase, type PassageEvidence, type WeightedConcept } from './relevance.ts';
import { type SearchHit } from './search.ts';

/** Why the documentation was judged not to answer a question. */
export type DeclineReason =
  'no-concepts' | 'no-coverage' | 'missing-specific' | 'split-compound' | 'off-topic';

/** A scored passage as the decline rules read it. */
export interface JudgedPassage {
  evidence: PassageEvidence;
  /** The passage's relevance: its coverage, or more when lessons or meaning vouch for it. */
  relevance: number;
}

// With this much of the question covered, a missing rare word is detail, not a different subject.
const coveredEnough = 0.75;
// Below this, a specific word missing from the best passage declines it even if the corpus has the word.
const partlyCovered = 0.6;
// A concept covered this well counts as covered ("send" for "ship" does; half a phrase does not).
const coveredMatch = 0.5;
// A concept weighing no more than this is used as a verb or adjective at least as often as a noun (see
// `topicWeight` in synonyms/vocabulary.ts).
const verbLike = 0.75;

/** How much a concept says about what the question is about: rare words and nouns most. */
const specificity = (c: WeightedConcept) => c.idf * c.weight;

/**
 * Why one passage does not answer the question, if it does not: too little of it covered ('no-coverage'), or
 * the question's most specific concept missing ('missing-specific').
 */
export function declineReason(
  concepts: WeightedConcept[],
  evidence: PassageEvidence,
  relevance: number,
  threshold: number,
  vouched: boolean,
): DeclineReason | undefined {
  if (relevance < threshold) return 'no-coverage';
  // Lessons and meaning vouch for a passage that words the question differently.
  if (vouched || evidence.coverage >= coveredEnough) return undefined;
  // A verb or adjective the knowledge base lacks ("stick to", "keen on") is the customer's phrasing: rare only
  // for want of a count, it names no subject of its own.
  const subjects = concepts.filter((c) => c.known || c.weight > verbLike);
  const most = Math.max(...subjects.map(specificity));
  // A specific word the whole knowledge base lacks ("refrigerators", an order number) means another subject;
  // one the knowledge base has elsewhere may just be phrased differently here, unless little else is covered.
  const missing = concepts.some(
    (c, i) =>
      subjects.includes(c) &&
      specificity(c) >= 0.9 * most &&
      evidence.matches[i]! < coveredMatch &&
      (!c.known || evidence.coverage < partlyCovered),
  );
  if (missing) return 'missing-specific';
  // One shared word is not enough to speak to a question of several ("do you sell refrigerators?").
  const topical = concepts.filter((c) => c.weight === 1);
  const covered = concepts.filter((c, i) => c.weight === 1 && evidence.matches[i]! >= coveredMatch).length;
  if (topical.length >= 2 && covered < 2) return 'no-coverage';
  // Nor are its other words, when the question names its subject: "earning" for "earning your product", or
  // "send" standing in for "shipping", a word the knowledge base lacks.
  const named = concepts.filter(
    (c, i) => c.weight === 1 && evidence.matches[i]! * evidence.shares[i]! >= coveredMatch,
  ).length;
  if (topical.length >= 1 && topical.length < concepts.length && named === 0) return 'no-coverage';
  return undefined;
}

// Below this share of the question in any retrieved title or heading, no section is about the question.
const aboutSomething = 0.1;
// A passage covering this much of the question answers it even from a section about something else.
const coveredInPassing = 0.8;

/**
 * 'off-topic' when no retrieved section names the question's subject in its title or headings and the leading
 * passage covers only part of the question: its words come up in passing ("buy" in a page about bots).
 */
export function offTopic(
  concepts: WeightedConcept[],
  top: JudgedPassage,
  scored: { evidence: PassageEvidence }[],
): DeclineReason | undefined {
  if (top.evidence.whole >= coveredInPassing || top.relevance > top.evidence.coverage) return undefined;
  if (holdsRarestSubject(concepts, top.evidence)) return undefined;
  return scored.every((s) => s.evidence.topical < aboutSomething) ? 'off-topic' : undefined;
}

// A word whose idf is at least this share of the highest possible is held by only a few chunks.
const fewChunks = 0.75;

/**
 * Whether the passage holds, in the question's own word, the question's most specific concept and that word is
 * one the knowledge base uses in only a few places: the passage is one of them, not a page where it comes up
 * in passing.
 */
function holdsRarestSubject(concepts: WeightedConcept[], evidence: PassageEvidence): boolean {
  const most = concepts.reduce((a, b) => (specificity(b) > specificity(a) ? b : a));
  const i = concepts.indexOf(most);
  return most.known && most.rarity >= fewChunks && evidence.matches[i] === 1 && evidence.shares[i] === 1;
}

// A passage covering this much of the question answers it even if a compound of it only appears apart.
const coveredDespiteSplit = 0.9;
// A section whose title and headings name this much of the question is about it, however it words a compound.
const headedDespiteSplit = 0.75;
// Words at least this noun-like (concept weight) make a compound together ("delivery address").
const compoundWeight = 0.7;

/** Two of the question's concepts side by side. */
type Pair = readonly [WeightedConcept, WeightedConcept];

/** Whether a passage covers so much of the question that a compound of it held only apart does not matter. */
export function coversDespiteSplit(p: JudgedPassage): boolean {
  return p.evidence.whole >= coveredDespiteSplit;
}

/**
 * 'split-compound' when the question names compounds of two nouns ("delivery address") whose words the
 * leading passage holds, but no retrieved passage puts any of them side by side: the documentation uses the words for
 * other things ("Continuous Delivery", "IP address").
 */
export function splitCompound(
  question: string,
  concepts: WeightedConcept[],
  top: JudgedPassage,
  hits: SearchHit[],
): DeclineReason | undefined {
  if (coversDespiteSplit(top) || top.evidence.topical >= headedDespiteSplit) return undefined;
  if (top.relevance > top.evidence.coverage) return undefined;
  const asked = question.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Side by side in the question with only a space between, the first word not a name or acronym ("VPC price"
  // asks about VPC, which a passage may word any way).
  const adjacent = (a: WeightedConcept, b: WeightedConcept) => {
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = new RegExp(
      `(?<![\\p{L}\\p{N}])(${escape(a.text)}) +${escape(b.text)}(?![\\p{L}\\p{N}])`,
      'iu',
    ).exec(asked);
    return found !== null && !/\p{Lu}/u.test(found[1]!.slice(found.index === 0 ? 1 : 0));
  };
  const compounds = concepts.flatMap((a, i) => {
    const b = concepts[i + 1];
    const compound =
      b !== undefined &&
      a.stems.length === 1 &&
      b.stems.length === 1 &&
      a.weight >= compoundWeight &&
      b.weight >= compoundWeight &&
      top.evidence.matches[i]! >= coveredMatch &&
      top.evidence.matches[i + 1]! >= coveredMatch &&
      adjacent(a, b);
    return compound ? [[a, b] as Pair] : [];
  });
  // One compound found together is enough: the question's others may just be phrased differently. A compound
  // ending a longer name ("weak understanding metrics") is also found where the name's other pair is.
  const together = ([a, b]: Pair) => hits.some((hit) => holdsPhrase(a, b, hit));
  const namePairBefore = ([a]: Pair): Pair[] => {
    const before = concepts[concepts.indexOf(a) - 1];
    return before && before.stems.length === 1 && adjacent(before, a) ? [[before, a]] : [];
  };
  const split =
    compounds.length > 0 && !compounds.some((c) => together(c) || namePairBefore(c).some(together));
  return split ? 'split-compound' : undefined;
}
