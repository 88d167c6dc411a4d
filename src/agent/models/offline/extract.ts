import { type QuotedPassage, termsOf, type Unit, unitsOf } from './passage-units.ts';

// A how-to question is answered by the whole list of steps, not one step of it.
const howTo = /\bhow (do|can|should|to)\b|\bsteps?\b|\bwhat should i do\b/i;
// The task of a how-to question: its first word after "how do I" ("pair" in "how do I pair my Flit 2?").
const howToTask = /\bhow (?:do|can|should) (?:i|we|you) ([a-z]+)|\bhow to ([a-z]+)/i;
// "How long", "how much": the question's form, not its subject.
const questionForm = /\bhow (long|much|many|often|soon)\b/gi;

/**
 * An extractive answer: the one to three sentences, list items or steps of the passages that share the most
 * (rarity-weighted) content terms with the question, in the documents' order, each cited with its passage
 * marker. A question word counts fully in the unit itself, less under a heading or title that has it, and
 * half as much again when a follow-up borrowed it from earlier turns; units under a heading naming the task
 * of a how-to question ("Pairing" for "how do I pair ...") count extra. Empty when no unit speaks to the
 * question.
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
  const own = [...termsOf(question.replace(questionForm, ''))];
  const borrowed = [...termsOf(query.replace(questionForm, ''))].filter((t) => !own.includes(t));
  const task = [...termsOf(howToTask.exec(question)?.slice(1).find(Boolean) ?? '')];
  const rarities = new Map<string, number>();
  const rarity = (term: string) => {
    if (!rarities.has(term)) {
      const holding = units.filter((u) => u.terms.has(term)).length;
      rarities.set(term, Math.log(1 + units.length / (holding || 1)));
    }
    return rarities.get(term)!;
  };
  const weight = (u: Unit, term: string) =>
    (u.terms.has(term) ? 1 : u.section.has(term) ? 0.9 : u.title.has(term) ? 0.5 : 0) * rarity(term);
  const sum = (terms: string[], f: (t: string) => number) => terms.reduce((s, t) => s + f(t), 0);

  // A unit must speak to the question's own words; what a follow-up borrowed only ranks those that do.
  const ranked = units
    .map((u) => ({ unit: u, own: sum(own, (t) => weight(u, t)) }))
    .filter((r) => r.own > 0)
    .map((r) => ({
      unit: r.unit,
      score:
        r.own +
        sum(borrowed, (t) => weight(r.unit, t) / 2) +
        sum(task, (t) => (r.unit.section.has(t) ? rarity(t) / 2 : 0)),
    }))
    // The sort is stable: among equal scores the better-ranked passage and the earlier sentence come first.
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]?.score;
  if (best === undefined) return '';
  const candidates = ranked.filter((r) => r.score >= best / 2).map((r) => r.unit);
  return render(select(candidates.slice(0, 3), units, maxWords, howTo.test(question)));
}

/**
 * Takes the candidates, best first, within the word budget, each with what it needs to make sense when that
 * fits too: the sentence before one that opens with "This" or "It", and for a how-to question the whole list
 * of a step. The best candidate is kept even alone and over budget, shortened.
 */
function select(candidates: Unit[], units: Unit[], maxWords: number, wholeLists: boolean): Unit[] {
  const picked = new Set<Unit>();
  let words = 0;
  const tryAdd = (extra: Unit[]) => {
    const fresh = extra.filter((u) => !picked.has(u));
    if (words + wordCount(fresh) > maxWords) return;
    fresh.forEach((u) => picked.add(u));
    words += wordCount(fresh);
  };
  for (const unit of candidates) {
    if (picked.size === 0 && wordCount([unit]) > maxWords) return [shorten(unit, maxWords)];
    tryAdd([unit]);
    if (!picked.has(unit)) continue;
    const previous = units[unit.position - 1];
    const before =
      /^(this|that|these|those|it|they)\b/i.test(unit.text) && previous?.ref === unit.ref ? [previous] : [];
    const lists = [unit, ...before].flatMap((u) =>
      u.steps === undefined || !wholeLists ? [] : units.filter((s) => s.steps === u.steps),
    );
    tryAdd([...before, ...lists]);
  }
  // A step quoted without its list keeps no number: "3." alone would point at steps the answer leaves out.
  return [...picked]
    .sort((a, b) => a.position - b.position)
    .map((u) =>
      u.steps !== undefined && !units.every((s) => s.steps !== u.steps || picked.has(s))
        ? { ...u, marker: '-' }
        : u,
    );
}

function wordCount(units: Unit[]): number {
  return units.reduce((n, u) => n + u.text.split(' ').length, 0);
}

/** A passage without sentence punctuation can be one long "sentence": quote its beginning. */
function shorten(unit: Unit, maxWords: number): Unit {
  return { ...unit, text: `${unit.text.split(' ').slice(0, maxWords).join(' ')}…` };
}

/** Sentences run on as prose, list items stand on their own lines; each cites its passage. */
function render(units: Unit[]): string {
  let out = '';
  units.forEach((unit, i) => {
    const cited = cite(unit.text, unit.ref);
    const previous = units[i - 1];
    if (!previous) out = unit.marker ? `${unit.marker} ${cited}` : cited;
    else if (unit.marker) out += `\n${unit.marker} ${cited}`;
    else out += previous.marker ? `\n${cited}` : ` ${cited}`;
  });
  return out;
}

function cite(text: string, ref: string): string {
  const end = /[.!?]$/.exec(text);
  return end ? `${text.slice(0, -1)} [${ref}]${end[0]}` : `${text} [${ref}]`;
}
