import { answerFormOf, formStems } from '../../../knowledge/answer-forms.ts';
import { genericWeight, standardVocabulary } from '../../../knowledge/synonyms/vocabulary.ts';
import { type Concept } from '../../../knowledge/synonyms/vocabulary.ts';
import { questionStopwords, stem, stemLine, tokenize } from '../../../knowledge/text.ts';
import { type QuotedPassage, termsOf, type Unit } from './passage-units.ts';

/** Whether a unit holds the kind of answer the question's form asks for (a duration, a price, a definition). */
export function answerFitsForm(question: string, text: string): boolean {
  return answerFormOf(question)?.answer.test(text) === true || defines(question, text);
}

// "What is X?", "explain what X is": X as the customer wrote it.
const asksDefinition = [
  /^(?:\W*)what (?:is|are) (?:an? |the )?([^?]{2,60}?)\s*\??$/i,
  /\bwhat (?!is\b|are\b)([^?]{2,60}?) (?:is|are|means?)\s*\??$/i,
];
const definingVerb = /^(?:is|are|refers|means)$/;

/**
 * Whether a unit defines what a "what is X?" question asks about: it opens with X (one other word allowed) and
 * then "is", "are", "refers to" or "means" ("Kubernetes is an open-source system ...").
 */
function defines(question: string, text: string): boolean {
  const subject = asksDefinition.map((re) => re.exec(question.trim())?.[1]).find(Boolean);
  if (!subject) return false;
  const wanted = new Set(
    tokenize(subject)
      .filter((w) => !questionStopwords.has(w))
      .map(stem),
  );
  if (wanted.size === 0 || wanted.size > 4) return false;
  const words = tokenize(text).slice(0, 8);
  const verb = words.findIndex((w) => definingVerb.test(w));
  if (verb < 1) return false;
  const before = words.slice(0, verb).filter((w) => !questionStopwords.has(w));
  const named = before.filter((w) => wanted.has(stem(w))).length;
  return named > 0 && before.length - named <= 1;
}

interface WeightedConcept {
  concept: Concept;
  /** 1 for the question's own concepts, 0.5 for those a follow-up borrowed from earlier turns. */
  share: number;
}

/**
 * Scores units by the rarity-weighted concepts of the question they hold: a concept counts fully in the unit
 * itself (synonyms less, as in the relevance judgement), less under a heading or in a title that has it. A unit
 * must hold one of the question's own concepts, or a word the search matched to them; what a follow-up
 * borrowed from earlier turns only ranks units that do.
 */
export function unitScorer(
  units: Unit[],
  passages: QuotedPassage[],
  question: string,
  query: string,
): (unit: Unit) => number {
  const vocabulary = standardVocabulary();
  const own = vocabulary.concepts(question);
  const ownKeys = new Set(own.map((c) => c.stems.join(' ')));
  const borrowed = vocabulary.concepts(query).filter((c) => !ownKeys.has(c.stems.join(' ')));
  const concepts: WeightedConcept[] = [
    ...own.map((concept) => ({ concept, share: 1 })),
    ...borrowed.map((concept) => ({ concept, share: 0.5 })),
  ];
  const hints = new Map(passages.map((p) => [p.ref, new Set((p.matched ?? []).map(stem))]));
  const rarity = rarityIn(units);
  const conceptRarity = (c: Concept) => Math.max(...c.stems.map(rarity));
  // A unit holding a phone number has what "phone number" or "call you" asks for, whatever it calls it.
  const form = answerFormOf(question);
  const formWords = formStems(question);
  // Model names ("Flit 2") tell apart the products of one family, which their words alone ("flit") do not.
  const models = [...termsOf(question)].filter((t) => / \d$/.test(t)).map(modelConcept);
  const specific = concepts.filter(({ concept }) => concept.weight > genericWeight);
  return (unit) => {
    let ownScore = models.reduce((sum, m) => sum + placement(m, unit) * rarity(m.text), 0);
    let borrowedScore = 0;
    const holdsAnswer = form?.stored !== undefined && form.answer.test(unit.text);
    // A generic word ("different", "current") is rare in documentation, so it weighs much; it tells the answer
    // apart only in a unit whose own words name something specific the question asks about.
    const onTopic =
      models.length + specific.length === 0 ||
      models.some((m) => unit.terms.has(m.text)) ||
      specific.some(({ concept }) => inOwnWords(concept, unit));
    for (const { concept, share } of concepts) {
      if (concept.weight <= genericWeight && !onTopic) continue;
      const answered = holdsAnswer && concept.stems.every((s) => formWords.has(s));
      const value = (answered ? 1 : placement(concept, unit)) * conceptRarity(concept) * concept.weight;
      if (share === 1) ownScore += value;
      else borrowedScore += value * share;
    }
    // Words the search matched through staff synonyms or lessons the standard vocabulary does not know.
    const hinted = [...(hints.get(unit.ref) ?? [])].filter((h) => unit.terms.has(h));
    if (ownScore === 0 && hinted.length > 0) ownScore = 0.5 * Math.max(...hinted.map(rarity));
    return ownScore > 0 ? ownScore + borrowedScore : 0;
  };
}

/** A model name as a concept of the question: one term ("flit 2"), no other wordings. */
function modelConcept(term: string): Concept {
  return { text: term, stems: [term], weight: 1, alternatives: new Map() };
}

/**
 * How strongly a unit holds a concept: in its own words, under its heading, in its document's title; through
 * another wording of it, as much less as that wording counts.
 */
function placement(concept: Concept, unit: Unit): number {
  return Math.max(...wordingsOf(concept).map(([stems, weight]) => matchesIn(unit, stems) * weight));
}

/** Where a unit holds a wording: 1 in its own words, 0.9 under its heading, 0.5 in its title, else 0. */
function matchesIn(unit: Unit, stems: string[]): number {
  // Stopwords are not among a unit's terms: a wording with some ("set up", "log in") is only found as a
  // phrase in the unit's text, or "Build Settings" would hold "set up" and every unit "where is my".
  if (stems.some((s) => questionStopwords.has(s)))
    return stemmedText(unit).includes(` ${stems.join(' ')} `) ? 1 : 0;
  if (stems.every((s) => unit.terms.has(s))) return 1;
  if (stems.every((s) => unit.section.has(s))) return 0.9;
  return stems.every((s) => unit.title.has(s)) ? 0.5 : 0;
}

/** Whether a unit's own words (not its heading or title) hold a concept, in any of its wordings. */
function inOwnWords(concept: Concept, unit: Unit): boolean {
  return wordingsOf(concept).some(([stems]) => matchesIn(unit, stems) === 1);
}

/** A concept's wordings as stems, with what a match on each counts: its own 1, the others less. */
function wordingsOf(concept: Concept): [string[], number][] {
  return [
    [concept.stems, 1],
    ...[...concept.alternatives].map(([stems, a]): [string[], number] => [stems.split(' '), a.weight]),
  ];
}

const stemmedTexts = new WeakMap<Unit, string>();

function stemmedText(unit: Unit): string {
  let line = stemmedTexts.get(unit);
  if (line === undefined) stemmedTexts.set(unit, (line = stemLine(unit.text)));
  return line;
}

/** Inverse frequency of a term among the units (its own words, headings and title). */
function rarityIn(units: Unit[]): (term: string) => number {
  const cache = new Map<string, number>();
  return (term) => {
    let value = cache.get(term);
    if (value === undefined) {
      const holding = units.filter(
        (u) => u.terms.has(term) || u.section.has(term) || u.title.has(term),
      ).length;
      value = Math.log(1 + units.length / (holding || 1));
      cache.set(term, value);
    }
    return value;
  };
}
