import { speaksPlainly } from './boilerplate.ts';
import { leansOnPrevious, refersBack } from './dependent-sentences.ts';
import { genericWeight, standardVocabulary } from '../../../knowledge/synonyms/vocabulary.ts';
import { questionStopwords } from '../../../knowledge/text.ts';
import { type QuotedPassage, termsOf, type Unit, unitsOf } from './passage-units.ts';
import { deniesQuestion, renderAnswer } from './render.ts';
import { answeredByRows, answeringRows, rowNames } from './table-rows.ts';
import { answerFitsForm, unitScorer } from './unit-score.ts';

// A how-to question, or a report of something not working, is answered by the whole list of steps.
const howTo =
  /\bhow (do|can|should|to)\b|\bsteps?\b|\bwhat should i do\b|\bprocedure\b|\b(won[’']?t|can[’']?t|doesn[’']?t|does not|will not|cannot|not working|stopped working|fails?)\b/i;
// A procedure is quoted whole up to this many words; prose answers stay shorter.
const maxProcedureWords = 220;
// Steps shorter than this in all name topics ("1. Open a connection 2. Send input"), not what to do.
const minProcedureWords = 15;
// Units beside the best one must score at least this share of it to be quoted with it.
const supportingShare = 0.25;
// A prose answer quotes at most this many units of its place.
const maxUnits = 8;
// A section quoted in fewer words than this is followed by what the same document's other sections say.
const shortAnswerWords = 60;
// Units of another section must score at least this share of the best unit to be quoted after it.
const otherSectionShare = 0.3;

interface Scored {
  unit: Unit;
  score: number;
}

/**
 * An extractive answer from one place: the section (document and heading) whose sentences, list items and
 * steps speak most to the question is chosen, and only it is quoted, so sentences of unrelated documents are
 * never stitched together. The best unit leads; for a how-to question the section's numbered steps follow
 * whole and in order; otherwise the section's other units that speak to the question, in the document's order,
 * and when those are few, units of the same document's other sections that speak to it well. Pointers to
 * content the answer leaves out, image captions and code (unless asked for) are not quoted. Each unit is
 * cited with its passage marker; empty when no unit speaks to the question.
 *
 * @example extractAnswer([{ ref: 'S1', text: 'Flit 2 has ANC. Android phones with Fast Pair show a pop-up.' }],
 *   'does it work with Android?', 'does it work with Android? flit')
 * // → 'Android phones with Fast Pair show a pop-up [S1].'
 */
export function extractAnswer(
  passages: QuotedPassage[],
  question: string,
  query: string,
  maxWords = 120,
): string {
  const units = unitsOf(passages);
  const score = unitScorer(units, passages, question, query);
  // A unit holding the kind of answer asked for (a duration for "how long"), or a table row naming what is asked
  // about ("Warranty — 24 months"), answers more directly.
  const asked = termsOf(question);
  const direct = (unit: Unit) => answerFitsForm(question, unit.text) || rowNames(unit, asked);
  const scored = units
    .map((unit) => ({ unit, score: score(unit) * (direct(unit) ? 1.5 : 1) }))
    .filter((s) => s.score > 0);
  const [best, ...runnersUp] = rankPlaces(scored, passages, question);
  if (!best) return '';
  const place = best.place;
  const inPlace = units.filter((u) => u.place === place);
  const ranked = scored
    .filter((s) => s.unit.place === place)
    .sort((a, b) => b.score - a.score || a.unit.position - b.unit.position);
  const procedure = howTo.test(question) ? stepsOf(ranked, inPlace) : undefined;
  const quotable = answeringRows(
    scored.filter((s) => speaksPlainly(s.unit, question)),
    question,
  );
  const quoted = new Set(quotable);
  const prose = proseAnswer(
    ranked.filter((s) => quoted.has(s)),
    inPlace,
    maxWords,
  );
  const chosen =
    procedure ??
    withoutStepNumbers(
      answeredByRows(prose, question) ?? sameDocument(prose, quotable, passages, question, maxWords),
    );
  return renderAnswer(chosen, question) + seeAlso(runnersUp, best, passages, scored);
}

interface RankedPlace {
  place: string;
  value: number;
}

// A section whose heading asks the customer's question ("What is your return policy?") is the answer meant.
const askedHeadingShare = 0.8;

/**
 * Places by how well their units answer: the best unit, helped by a second one that also speaks to the
 * question, by the search's order of the passages (the most relevant passage comes first), and by a heading
 * that asks the question itself.
 */
function rankPlaces(scored: Scored[], passages: QuotedPassage[], question: string): RankedPlace[] {
  const byPlace = new Map<string, Scored[]>();
  for (const s of scored) byPlace.set(s.unit.place, [...(byPlace.get(s.unit.place) ?? []), s]);
  const top = Math.max(0, ...scored.map((s) => s.score));
  const order = new Map(passages.map((p, i) => [p.ref, 1 - i / passages.length]));
  const places = [...byPlace].map(([place, units]) => {
    // A sentence leaning on the one before can support a place's answer but not lead it.
    const lead = units.filter((s) => !leansOnPrevious(s.unit.text)).sort((a, b) => b.score - a.score)[0];
    const first = lead?.score ?? 0;
    const second = Math.max(0, ...units.filter((s) => s !== lead).map((s) => s.score));
    const ref = scored.find((s) => s.unit.place === place)!.unit.ref;
    const asked = headingAsks(passages.find((p) => p.ref === ref)?.heading, question);
    return {
      place,
      value: first + 0.3 * second + 0.4 * top * (order.get(ref) ?? 0) + (asked ? askedHeadingShare * top : 0),
    };
  });
  return places.sort((a, b) => b.value - a.value);
}

/**
 * Whether a section's own heading is a question naming every concept the customer's question names ("What is
 * your return policy?" for "how do I return something?"): an FAQ entry written for it.
 */
function headingAsks(heading: string | undefined, question: string): boolean {
  const own = heading?.split(' > ').at(-1)?.trim();
  if (!own?.endsWith('?')) return false;
  // The request's generic words ("something", "possible") name nothing a heading must restate.
  const concepts = standardVocabulary()
    .concepts(question)
    .filter((c) => c.weight > genericWeight);
  const terms = termsOf(own);
  return concepts.length > 0 && concepts.every((c) => c.stems.every((s) => terms.has(s)));
}

// Other documents that answer well too are pointed to, never quoted into the first one's answer.
const seeAlsoShare = 0.6;
const maxSeeAlso = 2;

/** "See also: <document> — <section> [S2]; ..." for up to two close runners-up from other documents. */
function seeAlso(
  runnersUp: RankedPlace[],
  best: RankedPlace,
  passages: QuotedPassage[],
  scored: Scored[],
): string {
  const passageOf = (place: string) => {
    const ref = scored.find((s) => s.unit.place === place)!.unit.ref;
    return passages.find((p) => p.ref === ref);
  };
  const titles = new Set([passageOf(best.place)?.title]);
  const pointers: string[] = [];
  for (const runnerUp of runnersUp) {
    if (runnerUp.value < seeAlsoShare * best.value || pointers.length >= maxSeeAlso) break;
    const passage = passageOf(runnerUp.place);
    if (!passage || titles.has(passage.title)) continue;
    titles.add(passage.title);
    const name = [readableTitle(passage.title), passage.heading].filter(Boolean).join(' — ');
    pointers.push(`${name || opening(scored, runnerUp.place)} [${passage.ref}]`);
  }
  return pointers.length ? `\n\nSee also: ${pointers.join('; ')}.` : '';
}

/**
 * A title a customer can read: one derived from a file name ("Ibmcld 03373 4327 6061") or holding a web
 * address names nothing, and the section heading alone names the pointer.
 */
function readableTitle(title: string | undefined): string | undefined {
  if (!title || /:\/\/|^\W/.test(title)) return undefined;
  const words = title.match(/\p{L}{2,}/gu)?.length ?? 0;
  const numbers = title.match(/\d+/g)?.length ?? 0;
  return words > numbers ? title : undefined;
}

/** The first words of a place, to name it when its document has no readable title or heading. */
function opening(scored: Scored[], place: string): string {
  const words = scored.find((s) => s.unit.place === place)!.unit.text.split(' ');
  return words.length > 8 ? `"${words.slice(0, 8).join(' ')}…"` : `"${words.join(' ')}"`;
}

/**
 * For a how-to question: a lead-in sentence that speaks to it, then the place's best numbered list, whole; none
 * when the list is too long to quote or too short to say what to do.
 */
function stepsOf(ranked: Scored[], inPlace: Unit[]): Unit[] | undefined {
  const lists = new Map<string, Unit[]>();
  for (const u of inPlace) if (u.steps) lists.set(u.steps, [...(lists.get(u.steps) ?? []), u]);
  if (lists.size === 0) return undefined;
  // The list holding the best-scoring step, or the place's first list when no step speaks to the question.
  const steps = ranked.find((s) => s.unit.steps)?.unit.steps ?? [...lists.keys()][0]!;
  const list = lists.get(steps)!;
  const words = wordCount(list);
  if (words > maxProcedureWords || words < minProcedureWords) return undefined;
  const lead = ranked.find(
    (s) => !s.unit.marker && s.unit.position < list[0]!.position && !leansOnPrevious(s.unit.text),
  )?.unit;
  return lead && wordCount([lead]) <= 40 ? [lead, ...list] : list;
}

/**
 * The best unit that can stand alone first (a sentence leaning on the one before, "It also ...", only after
 * it), then the place's other units that speak to the question, scoring at least a quarter as well (and the
 * sentence each leaning one needs), in the document's order, within the word budget.
 */
function proseAnswer(ranked: Scored[], inPlace: Unit[], maxWords: number): Unit[] {
  const previousOf = (unit: Unit) => inPlace.find((u) => u.position === unit.position - 1);
  // The best sentence that can stand alone leads; one leaning on the sentence before follows it.
  const lead = ranked.find((s) => !leansOnPrevious(s.unit.text)) ?? ranked[0];
  if (!lead) return [];
  if (wordCount([lead.unit]) > maxWords) return [shorten(lead.unit, maxWords)];
  const antecedent = leansOnPrevious(lead.unit.text) ? previousOf(lead.unit) : undefined;
  const picked = antecedent ? [antecedent, lead.unit] : [lead.unit];
  let words = wordCount(picked);
  for (const s of ranked) {
    if (s.score < supportingShare * lead.score || picked.length >= maxUnits) break;
    // Already quoted as the lead, or as the context of a unit after it.
    if (picked.includes(s.unit)) continue;
    const previous = previousOf(s.unit);
    const needsContext = refersBack(s.unit.text) && previous && !picked.includes(previous);
    const extra = needsContext ? [previous, s.unit] : [s.unit];
    if (words + wordCount(extra) > maxWords) continue;
    picked.push(...extra);
    words += wordCount(extra);
  }
  const opening = picked.slice(0, antecedent ? 2 : 1);
  const rest = picked.slice(opening.length).sort((a, b) => a.position - b.position);
  // A sentence leaning on the lead stays beside it, whatever the document's order puts before it.
  const onLead = rest.filter((u) => u.position === lead.unit.position + 1 && refersBack(u.text));
  return [...opening, ...onLead, ...rest.filter((u) => !onLead.includes(u))];
}

/**
 * A short answer continued from the same document's other sections: their units scoring well against the best
 * one and naming something the question names in their own words, in the document's order, within the word
 * budget. Another document is never quoted into the answer.
 */
function sameDocument(
  chosen: Unit[],
  scored: Scored[],
  passages: QuotedPassage[],
  question: string,
  maxWords: number,
): Unit[] {
  const [lead] = chosen;
  if (!lead || wordCount(chosen) >= shortAnswerWords) return chosen;
  // "We do not ship elsewhere" has answered "Do you ship to Australia?": the rest of the policy is not asked for.
  if (chosen.some((u) => deniesQuestion(u.text, question))) return chosen;
  const titleOf = (ref: string) => passages.find((p) => p.ref === ref)?.title;
  const title = titleOf(lead.ref);
  const best = Math.max(...scored.map((s) => s.score));
  const more = scored
    .filter((s) => s.unit.place !== lead.place && title && titleOf(s.unit.ref) === title)
    .filter((s) => s.score >= otherSectionShare * best && !chosen.includes(s.unit))
    // A line scoring only through its section's heading or the document's title says nothing of the question.
    .filter((s) => sharesSpecificWord(s.unit, question))
    .sort((a, b) => a.unit.position - b.unit.position);
  const answer = [...chosen];
  let words = wordCount(answer);
  for (const { unit } of more) {
    // Another section's sentence naming its subject by a pronoun would open its paragraph dangling.
    const follows = answer.some((u) => u.position === unit.position - 1);
    if (refersBack(unit.text) && !follows) continue;
    if (words + wordCount([unit]) > maxWords) continue;
    answer.push(unit);
    words += wordCount([unit]);
  }
  return answer;
}

/**
 * Whether a unit's own words hold one of the question's specific words or model names: for "Do you ship to
 * Australia?", "Duties are included in the shipping price" does, a late-parcel line of the shipping policy does
 * not. True when the question names nothing specific.
 */
function sharesSpecificWord(unit: Unit, question: string): boolean {
  const specific = standardVocabulary()
    .concepts(question)
    .filter((c) => c.weight > genericWeight)
    .flatMap((c) => c.stems)
    .filter((s) => !questionStopwords.has(s));
  const models = [...termsOf(question)].filter((t) => / \d$/.test(t));
  const words = [...specific, ...models];
  return words.length === 0 || words.some((w) => unit.terms.has(w));
}

/** A step quoted without its list keeps no number: "3." alone would point at steps the answer leaves out. */
function withoutStepNumbers(units: Unit[]): Unit[] {
  return units.map((u) => (u.steps !== undefined ? { ...u, marker: '-' } : u));
}

function wordCount(units: Unit[]): number {
  return units.reduce((n, u) => n + u.text.split(' ').length, 0);
}

/** A passage without sentence punctuation can be one long "sentence": quote its beginning. */
function shorten(unit: Unit, maxWords: number): Unit {
  return { ...unit, text: `${unit.text.split(' ').slice(0, maxWords).join(' ')}…` };
}
