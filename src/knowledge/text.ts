/**
 * Words of a text as the knowledge base's in-process matching sees them: tokenising, a light stem and the
 * stopword lists, in one place. Postgres' full-text search has its own stemmer and stopwords (lexical.ts);
 * these serve the local embedder, relevance evidence, the offline model and follow-up rewriting.
 */

// Function words of English questions and manuals, shared by every list below.
const coreStopwords =
  'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my ' +
  'no not of on or our so than that the their them then there these they this to was we were what when where ' +
  'which who why will with would you your about also any been being just more most only other over same some ' +
  'such too very should now up out off all both each few own';

const wordsOf = (list: string) => new Set(list.split(' '));

/**
 * Words the local embedder skips. Changing this list changes every local vector: an existing knowledge base
 * would then need `parley reindex`, so it stays exactly as the embedder was released with.
 */
export const embedderStopwords = wordsOf(`${coreStopwords} yours s t don again further once here`);

/** Words that say nothing about what a question is about: greetings, politeness, "I need to know". */
export const questionStopwords = wordsOf(
  `${coreStopwords} yours please thanks thank hi hello hey get got need want know tell ok okay let lets ` +
    'like may might must shall us ' +
    // What is left of contractions once the apostrophe splits them ("won't" → "won", "t").
    'won t don doesn isn aren wasn weren didn couldn wouldn shouldn haven hasn ve ll re d m s',
);

/**
 * Words a follow-up question uses without naming its subject ("can I use one with it?"): too vague to carry
 * an earlier turn's subject forward or to count as the question's own subject.
 */
export const followUpStopwords = wordsOf(
  `${coreStopwords} s t don again once here ok okay thanks thank please yes one ones tell know want need like ` +
    'get got use using used make let lets sure really much many well',
);

/**
 * Chat phrasing Postgres' English stopword list keeps ("could you please tell me..."), as Postgres stems it:
 * in a question these say nothing about the topic, yet they are rare in manuals, so BM25 would weight them
 * highly.
 */
export const conversationalLexemes = wordsOf(
  'pleas thank thx hi hello hey tell know want wonder explain could would might someth anyth okay ok ' +
    'sure yes like also realli actual',
);

/** Lower-cased words and numbers of a text, accents removed. */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

const suffixes = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['ies', 'y'],
  ['ing', ''],
  ['edly', ''],
  ['ed', ''],
  ['es', ''],
  ['ly', ''],
  ['s', ''],
] as const;

/** Strips common English inflections so "rotating", "rotates" and "rotated" meet. */
export function lightStem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  for (const [suffix, keep] of suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      if (suffix === 's' && /(ss|us|is)$/.test(word)) return word;
      return word.slice(0, -suffix.length) + keep;
    }
  }
  return word;
}

/**
 * The stem relevance matching uses: the light stem, then a final "e" and a doubled final consonant dropped, so
 * that "charge" meets "charging" and "ship" meets "shipping". The embedder keeps `lightStem` unchanged.
 */
export function stem(word: string): string {
  let s = lightStem(word);
  if (s.length >= 4 && s.endsWith('e') && !s.endsWith('ee')) s = s.slice(0, -1);
  if (s.length > 3 && /([bdgmnprt])\1$/.test(s)) s = s.slice(0, -1);
  return s;
}

/** The distinct stemmed content terms of a text (question stopwords and one-letter words left out). */
export function contentTerms(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .filter((w) => w.length > 1 && !questionStopwords.has(w))
      .map(stem),
  );
}

/** A text as a space-padded string of stems, so a phrase matches with `includes(' refund polic ')`. */
export function stemLine(text: string): string {
  return ` ${tokenize(text).map(stem).join(' ')} `;
}
