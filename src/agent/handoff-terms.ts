/**
 * Whole-word term matching for hand-off rules: phrases with their plain inflections, alternatives (`a|b`),
 * proximity (`a ~ b`, `a ~2 b`) and exception phrases. See `HandoffRule` for the term syntax.
 */

// Words between the two sides of `a ~ b`, at most, unless the term says (`a ~2 b`).
const nearWindow = 6;

/** A phrase of words, each word the set of forms it may take. */
type Phrase = string[][];

interface Span {
  start: number;
  end: number;
}

interface CompiledTerm {
  source: string;
  /** One side, or two that must occur within `window` words of each other; each side lists alternatives. */
  sides: Phrase[][];
  window: number;
}

/** A word and the forms it takes: plural, third person, past and -ing. */
function inflections(word: string): string[] {
  const forms = [word];
  if (word.length < 3 || /\d/.test(word)) return forms;
  if (word.endsWith('e')) forms.push(`${word}s`, `${word}d`, `${word.slice(0, -1)}ing`);
  else if (/[^aeiou]y$/.test(word))
    forms.push(`${word.slice(0, -1)}ies`, `${word.slice(0, -1)}ied`, `${word}ing`);
  else if (/(s|x|z|ch|sh)$/.test(word)) forms.push(`${word}es`, `${word}ed`, `${word}ing`);
  else {
    forms.push(`${word}s`, `${word}ed`, `${word}ing`);
    // A short word ending consonant-vowel-consonant doubles it: stop → stopped.
    if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(word)) {
      const last = word.at(-1)!;
      forms.push(`${word}${last}ed`, `${word}${last}ing`);
    }
  }
  return forms;
}

/** Lowercased words, apostrophes inside words kept ("don't") and possessives dropped ("charger's"). */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? []
  ).map((w) => w.replace(/'s$/, ''));
}

function compilePhrase(text: string): Phrase {
  return wordsOf(text).map(inflections);
}

function compileTerm(term: string): CompiledTerm {
  const near = /^(.*?)~(\d*)(.*)$/.exec(term);
  const sides = near ? [near[1]!, near[3]!] : [term];
  return {
    source: term,
    sides: sides.map((side) =>
      side
        .split('|')
        .map(compilePhrase)
        .filter((p) => p.length > 0),
    ),
    window: near?.[2] ? Number(near[2]) : nearWindow,
  };
}

/** Where a phrase occurs in the message's words. */
function phraseAt(words: string[], phrase: Phrase): Span[] {
  const found: Span[] = [];
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((forms, j) => forms.includes(words[i + j]!)))
      found.push({ start: i, end: i + phrase.length });
  }
  return found;
}

function spansOf(words: string[], alternatives: Phrase[]): Span[] {
  return alternatives.flatMap((p) => phraseAt(words, p));
}

/** Whether a term occurs in the message, occurrences inside an exception not counting. */
function termMatches(words: string[], term: CompiledTerm, excepted: Span[]): boolean {
  const clear = (s: Span) => !excepted.some((e) => s.start < e.end && e.start < s.end);
  const [first, second] = term.sides;
  const a = spansOf(words, first ?? []).filter(clear);
  if (!second) return a.length > 0;
  const b = spansOf(words, second).filter(clear);
  return a.some((x) =>
    b.some((y) => {
      const gap = x.start < y.start ? y.start - x.end : x.start - y.end;
      return gap >= 0 && gap <= term.window;
    }),
  );
}

/**
 * The first of `terms` found in `message`, occurrences inside one of the `except` phrases not counting.
 * @example findTerm('sparks came out of the plug', ['sparks ~ plug'], []) // 'sparks ~ plug'
 */
export function findTerm(message: string, terms: string[], except: string[]): string | undefined {
  const words = wordsOf(message);
  const excepted = except.flatMap((e) => phraseAt(words, once(compiledPhrases, e, compilePhrase)));
  return terms.find((t) => termMatches(words, once(compiledTerms, t, compileTerm), excepted));
}

// The rules are the same from one message to the next: each term and exception is compiled once.
const compiledTerms = new Map<string, CompiledTerm>();
const compiledPhrases = new Map<string, Phrase>();

function once<T>(cache: Map<string, T>, text: string, compile: (text: string) => T): T {
  let value = cache.get(text);
  if (value === undefined) cache.set(text, (value = compile(text)));
  return value;
}
