import { answerFormOf } from './answer-forms.ts';
import { type Concept, genericWeight } from './synonyms/vocabulary.ts';
import { kindsOfName } from './synonyms/wordnet.ts';
import { stemLine } from './text.ts';

/** A question's concept with how rare it is in the knowledge base. */
export interface WeightedConcept extends Concept {
  /** Inverse document frequency over current chunks; the highest possible for words the corpus lacks. */
  idf: number;
  /** Whether any current chunk uses the question's own word(s). */
  known: boolean;
  /** `idf` as a share of the highest possible: near 1 for a word only a few chunks hold. */
  rarity: number;
}

export interface PassageText {
  title: string;
  heading: string;
  text: string;
}

/** How a passage speaks to a question. */
export interface PassageEvidence {
  /** Rarity-weighted share of the question's concepts the passage covers, counting bridged wordings less. */
  coverage: number;
  /** The same share with the request's generic words the passage lacks counted against it. */
  whole: number;
  /** The same share counting only the title and headings: what the passage is about. */
  topical: number;
  /** Per concept, what the match counted (0 when the passage lacks it). */
  matches: number[];
  /** Per concept, the share of its weight the match stands for (below 1 through a commoner wording). */
  shares: number[];
  /** The passage's words (stems) that matched, for quoting the right sentences. */
  matched: string[];
}

// A misspelt word ("bluetoth") or a variant the light stem leaves apart ("installation", "install").
const nearMatchWeight = 0.7;
// A name of the same kind as the question's ("Canada" for "Australia"): the page lists where something applies.
const sameKindWeight = 0.5;

interface PassageWords {
  stems: Set<string>;
  line: string;
  names: string[];
}

function wordsOf(p: PassageText): PassageWords {
  const all = `${p.title}\n${p.heading}\n${p.text}`;
  const line = stemLine(all);
  return {
    stems: new Set(line.trim().split(' ')),
    line,
    // Capitalised words and acronyms: candidate names ("Canada", "UK").
    names: [...new Set(all.match(/\b[A-Z][A-Za-z]+\b/g) ?? [])],
  };
}

/**
 * How strongly a passage covers each concept and how much of the question it covers in all. Concepts weigh by
 * rarity (idf) and by their own weight, so covering "refund" says more than covering "product"; generic words
 * count only where the passage has them. `answered` names the question's words that ask for a kind of answer
 * the passage holds (a phone number for "phone number" or "call you"): it covers them in any wording.
 */
export function passageEvidence(
  concepts: WeightedConcept[],
  passage: PassageText,
  answered: ReadonlySet<string> = new Set(),
): PassageEvidence {
  const words = wordsOf(passage);
  const headings = wordsOf({ title: passage.title, heading: passage.heading, text: '' });
  const matched = new Set<string>();
  // The words asking for a kind of answer ("phone number", "call") are answered by a passage holding one.
  const answers = concepts.map((c) => c.stems.every((s) => answered.has(s)));
  const found = concepts.map((c, i) =>
    answers[i] ? { match: 1, share: 1 } : matchConcept(c, words, matched),
  );
  const matches = found.map((f) => f.match);
  let total = 0;
  let generic = 0;
  let covered = 0;
  let topical = 0;
  concepts.forEach((c, i) => {
    const w = c.idf * c.weight * found[i]!.share;
    // The request's own words ("possible", "differences") name no subject: a passage lacking them lacks nothing.
    if (c.weight <= genericWeight && matches[i] === 0) {
      generic += w;
      return;
    }
    total += w;
    covered += w * matches[i]!;
    // A passage holding the answer asked for is about it, though headings rarely name a phone number.
    if (matches[i]! > 0) topical += w * (answers[i] ? 1 : matchConcept(c, headings, new Set()).match);
  });
  return {
    coverage: total > 0 ? covered / total : 0,
    whole: total + generic > 0 ? covered / (total + generic) : 0,
    topical: total > 0 ? topical / total : 0,
    matches,
    shares: found.map((f) => f.share),
    matched: [...matched],
  };
}

// A phrase's words present but apart ("phone model, serial number" for "phone number").
const scatteredPhraseWeight = 0.4;

/**
 * How well a passage has a concept (`match`), and the share of the concept's weight the match stands for
 * (`share`: less than 1 through a wording commoner than a word the corpus lacks).
 */
function matchConcept(
  c: WeightedConcept,
  words: PassageWords,
  matched: Set<string>,
): { match: number; share: number } {
  if (c.stems.every((s) => words.stems.has(s))) {
    c.stems.forEach((s) => matched.add(s));
    if (c.stems.length === 1 || words.line.includes(` ${c.stems.join(' ')} `)) return { match: 1, share: 1 };
  }
  let best = c.stems.every((s) => words.stems.has(s)) ? scatteredPhraseWeight : 0;
  let share = 1;
  for (const [alternative, { weight, share: bridged }] of c.alternatives) {
    if (weight <= best) continue;
    const present = alternative.includes(' ')
      ? words.line.includes(` ${alternative} `)
      : words.stems.has(alternative);
    if (present) {
      best = weight;
      share = bridged ?? 1;
      alternative.split(' ').forEach((s) => matched.add(s));
    }
  }
  if (best < nearMatchWeight && c.stems.length === 1) {
    const near = nearWord(c.stems[0]!, words.stems, c.known);
    if (near) {
      best = nearMatchWeight;
      share = 1;
      matched.add(near);
    }
  }
  if (best < sameKindWeight && c.stems.length === 1 && !c.known && sameKind(c.text, words.names)) {
    best = sameKindWeight;
    share = 1;
  }
  if (best === 0 && c.stems.length > 1) {
    const some = c.stems.filter((s) => words.stems.has(s)).length;
    best = (0.5 * some) / c.stems.length;
  }
  return { match: best, share };
}

/**
 * Whether a passage has two of the question's concepts side by side, as the question has them ("delivery
 * address"), in their own words, other forms of them or single-word synonyms. A compound the passage only has
 * apart ("Continuous Delivery ... IP address") names something else.
 */
export function holdsPhrase(first: WeightedConcept, second: WeightedConcept, passage: PassageText): boolean {
  const words = stemLine(`${passage.title}\n${passage.heading}\n${passage.text}`).trim().split(' ');
  const forms = (c: WeightedConcept) => [
    c.stems[0]!,
    ...[...c.alternatives.keys()].filter((a) => !a.includes(' ')),
  ];
  const [a, b] = [forms(first), forms(second)];
  const sameWord = (word: string, form: string) =>
    word === form ||
    (word.length >= 5 &&
      form.length >= 5 &&
      commonPrefix(word, form) >= Math.max(5, Math.ceil(Math.min(word.length, form.length) * 0.75)));
  for (let i = 0; i + 1 < words.length; i++) {
    if (a.some((f) => sameWord(words[i]!, f)) && b.some((f) => sameWord(words[i + 1]!, f))) return true;
  }
  return false;
}

/**
 * A passage word that is the same word in another form: a shared beginning of at least five letters covering
 * most of the shorter word ("configuration", "configure"), or, for a word the corpus does not know, one typo.
 */
function nearWord(stem: string, stems: Set<string>, known: boolean): string | undefined {
  if (stem.length < 5 || /\d/.test(stem)) return undefined;
  for (const other of stems) {
    if (other.length < 5 || Math.abs(other.length - stem.length) > 6) continue;
    const shorter = Math.min(stem.length, other.length);
    if (commonPrefix(stem, other) >= Math.max(5, Math.ceil(shorter * 0.75))) return other;
    if (!known && Math.abs(other.length - stem.length) <= 1 && withinOneEdit(stem, other)) return other;
  }
  return undefined;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  if (s.length === l.length) {
    // One substitution, or two neighbours swapped.
    return (
      s.slice(i + 1) === l.slice(i + 1) ||
      (s[i] === l[i + 1] && s[i + 1] === l[i] && s.slice(i + 2) === l.slice(i + 2))
    );
  }
  return s.slice(i) === l.slice(i + 1);
}

/** Whether a name the corpus lacks is of a kind some name in the passage is (a country among countries). */
function sameKind(name: string, names: string[]): boolean {
  const kinds = kindsOfName(name);
  if (kinds.size === 0) return false;
  return names.some((n) => n.toLowerCase() !== name && [...kindsOfName(n)].some((k) => kinds.has(k)));
}

/**
 * Whether a passage has the kind of answer a "how long / how much / how many / phone number" question asks
 * for (a duration, a price, a number, a phone number), or a heading asking the same ("How long is the warranty?"
 * for "how long is the guarantee?"). Questions of other forms fit no passage.
 */
export function fitsAnswerForm(question: string, passage: PassageText): boolean {
  const form = answerFormOf(question);
  return form !== undefined && (form.asks.test(passage.heading) || form.answer.test(passage.text));
}
