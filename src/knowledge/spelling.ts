import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { parseLexemes, pgTextArray } from './lexemes.ts';
import { wordFrequencies } from './lexical.ts';
import { editDistance, oneEditFrom, typingSlip } from './spelling-edits.ts';
import { type Lexicon, readyLexicon } from './spelling-lexicon.ts';
import { usageCount } from './synonyms/word-usage.ts';
import { isEnglishWord, wordnetAvailable } from './synonyms/wordnet.ts';
import { questionStopwords, tokenize } from './text.ts';

export { prepareSpelling } from './spelling-lexicon.ts';

/** A question read with its misspelt words replaced by the knowledge base's words they were meant as. */
export interface Spelling {
  text: string;
  corrections: { from: string; to: string }[];
}

// Shorter words are a typo away from too many others to guess which was meant.
const minLength = 5;
// Two edits are tried on words this long, towards a stopword or a common word: one in this share of chunks.
const twoEditsFrom = 6;
const commonShare = 0.005;

/**
 * Reads a question's words that no current chunk holds and that are not English words ("exmaple", "menor") as
 * the word one edit away that was most likely meant: the knowledge base's most frequent ("example", "minor"),
 * unless only a stray key makes the typo from it while a common slip makes it from an English word that English
 * uses more ("hsipping" is "shipping", not "sipping"); two edits away for longer words, towards a stopword or a common word ("whatar" → "what"). English
 * words the documents lack ("refrigerator") and names ("iPhone", "Garmin", "Pixel 8") are left alone: they
 * usually mean another subject. Until a large knowledge base's vocabulary is read, the question is left as asked.
 *
 * @example await correctSpelling(db, 'exmaple words of disgust') // → { text: 'example words of disgust', ... }
 */
export async function correctSpelling(db: Db, question: string): Promise<Spelling> {
  const asIs = { text: question, corrections: [] };
  const names = namesIn(question);
  const asked = [...new Set(tokenize(question))].filter(
    (w) =>
      w.length >= minLength &&
      /^[a-z]+$/.test(w) &&
      !questionStopwords.has(w) &&
      !names.has(w) &&
      !englishWord(w),
  );
  if (asked.length === 0 || !wordnetAvailable()) return asIs;
  const lexicon = await readyLexicon(db);
  if (!lexicon) return asIs;
  const { df } = await wordFrequencies(db, asked);
  const corrections: Spelling['corrections'] = [];
  for (const word of asked.filter((w) => df.get(w) === 0)) {
    if (!lexicon.corrected.has(word)) lexicon.corrected.set(word, await correctWord(db, lexicon, word));
    const to = lexicon.corrected.get(word);
    if (to) corrections.push({ from: word, to });
  }
  let text = question;
  for (const { from, to } of corrections) {
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${from}(?![\\p{L}\\p{N}])`, 'giu'), to);
  }
  return { text, corrections };
}

/**
 * The question's words written as names, lower-cased: with a capital inside ("iPhone", "macOS"), all capitals
 * ("LDAC"), capitalised away from a sentence's start ("Garmin"), or followed by a model number ("Pixel 8").
 * Capitals say nothing in a question written all in capitals or in title case.
 */
function namesIn(question: string): Set<string> {
  // As `tokenize` reads it, with case.
  const text = question.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const atSentenceStart = (index: number) => /(^|[.!?:;"“]\s*|\n\s*)$/.test(text.slice(0, index));
  // "I" and a sentence's first word are capitalised whatever they are.
  const free = words.filter((w) => w[0] !== 'I' && !atSentenceStart(w.index));
  const capitalsSayNothing = free.filter((w) => /^\p{Lu}/u.test(w[0])).length > free.length / 2;
  const names = new Set<string>();
  for (const { 0: word, index } of words) {
    // A model number is short; a long one after a word is an order or account number ("roder 00123842").
    const modelNumber = /^\s+\d{1,4}(?!\d)/.test(text.slice(index + word.length));
    const inner = /\p{Ll}\p{Lu}/u.test(word);
    const capitals =
      !capitalsSayNothing &&
      (/^\p{Lu}{2,}$/u.test(word) || (/^\p{Lu}/u.test(word) && !atSentenceStart(index)));
    if (inner || capitals || modelNumber) names.add(word.toLowerCase());
  }
  return names;
}

/** WordNet's word, or an inflection its detachment rules miss but its tagged corpus has ("sipping"). */
function englishWord(word: string): boolean {
  return isEnglishWord(word) || usageCount(word) > 0;
}

interface Candidate {
  to: string;
  /** How often the knowledge base (chunks) or English (tagged occurrences) uses the word. */
  frequency: number;
}

async function correctWord(db: Db, lexicon: Lexicon, word: string): Promise<string | null> {
  const edits = [...oneEditFrom(word)];
  const own = await nearestOwnWord(db, lexicon, edits);
  const english = mostUsedEnglishWord(edits.filter((e) => typingSlip(word, e)));
  if (own && !(english && meansEnglishWord(word, own, english))) return own.to;
  if (english) return english.to;
  return word.length < twoEditsFrom ? null : twoEditsAway(db, lexicon, word);
}

/**
 * Whether a typo means an English word rather than the knowledge base's candidate: when it is a common typing
 * slip of the English word but not of the documents' word, and English uses the English word more. "hsipping"
 * is a swap in "shipping"; reading it as "sipping", in a few pages about SIP calls, needs a stray "h".
 */
function meansEnglishWord(typo: string, own: Candidate, english: Candidate): boolean {
  return !typingSlip(typo, own.to) && usageCount(own.to) < english.frequency;
}

/** The knowledge base's most frequent word one edit away, read by Postgres' stemmer as the lexicon's lexemes. */
async function nearestOwnWord(db: Db, lexicon: Lexicon, edits: string[]): Promise<Candidate | undefined> {
  const rows = await queryRows<{ i: number; lexeme: string | null }>(
    db,
    sql`SELECT t.i::int AS i, (ts_lexize('english_stem', t.w))[1] AS lexeme
        FROM unnest(${pgTextArray(edits)}::text[]) WITH ORDINALITY AS t(w, i)`,
  );
  let best: (Candidate & { english: boolean }) | undefined;
  for (const r of rows) {
    const to = edits[Number(r.i) - 1]!;
    const stopword = questionStopwords.has(to);
    const frequency = stopword ? lexicon.chunks : r.lexeme ? (lexicon.df.get(r.lexeme) ?? 0) : 0;
    if (frequency === 0) continue;
    // Of the forms of one lexeme, an English word reads best ("expires", not "expirs").
    const english = stopword || englishWord(to);
    if (!best || frequency > best.frequency || (frequency === best.frequency && english && !best.english))
      best = { to, frequency, english };
  }
  return best;
}

/** The English word one edit away that English uses most, if English uses any. */
function mostUsedEnglishWord(edits: string[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const to of edits) {
    const frequency = usageCount(to);
    if (frequency > (best?.frequency ?? 0)) best = { to, frequency };
  }
  return best;
}

/**
 * Two edits away: the nearest stopword, or the nearest of the knowledge base's common words (compared as
 * Postgres stems), the more frequent on equal distance; a stopword before a word as near.
 */
async function twoEditsAway(db: Db, lexicon: Lexicon, word: string): Promise<string | null> {
  let nearest: { to: string; edits: number; frequency: number; stopword: boolean } | undefined;
  const consider = (to: string, edits: number, frequency: number, stopword: boolean) => {
    if (edits > 2) return;
    if (!nearest || edits < nearest.edits || (edits === nearest.edits && frequency > nearest.frequency))
      nearest = { to, edits, frequency, stopword };
  };
  for (const stopword of questionStopwords) {
    if (stopword.length >= 3) consider(stopword, editDistance(word, stopword, 2), lexicon.chunks, true);
  }
  const [parsed] = await parseLexemes(db, [word]);
  const stem = parsed?.lexeme ?? word;
  for (const [lexeme, df] of lexicon.df) {
    if (df >= commonShare * lexicon.chunks) consider(lexeme, editDistance(stem, lexeme, 2), df, false);
  }
  if (!nearest) return null;
  return nearest.stopword ? nearest.to : surfaceForm(db, word, stem, nearest.to);
}

/**
 * A readable word for a corrected lexeme: the customer's ending put back on it ("experi" + "es" read as
 * "expir" + "es"), if Postgres reads that as the lexeme; else the lexeme itself, if it reads as itself.
 */
async function surfaceForm(db: Db, word: string, own: string, lexeme: string): Promise<string | null> {
  const forms = word.startsWith(own) ? [lexeme + word.slice(own.length), lexeme] : [lexeme];
  const parsed = await parseLexemes(db, forms);
  const form = forms.find((_, i) => parsed.some((p) => p.text === i && p.lexeme === lexeme));
  return form ?? null;
}
