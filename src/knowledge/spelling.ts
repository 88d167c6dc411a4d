import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { parseLexemes, pgTextArray } from './lexemes.ts';
import { currentChunkCount, wordFrequencies } from './lexical.ts';
import { isEnglishWord, wordnetAvailable } from './synonyms/wordnet.ts';
import { questionStopwords, tokenize } from './text.ts';

/** A question read with its misspelt words replaced by the knowledge base's words they were meant as. */
export interface Spelling {
  text: string;
  corrections: { from: string; to: string }[];
}

// Shorter words are a typo away from too many others to guess which was meant.
const minLength = 5;
// One edit is a typo of any word the knowledge base uses in this many chunks; two, of a word this common
// (share of chunks) or a stopword.
const minChunks = 3;
const commonShare = 0.005;
const twoEditsFrom = 6;
// The knowledge base's vocabulary is read again after this long; meanwhile the previous one serves.
const lexiconTtlMs = 10 * 60_000;

interface Lexicon {
  expires: number;
  chunks: number;
  /** Lexemes of at least `minChunks` chunks with their chunk counts. */
  df: Map<string, number>;
  /** Words already looked up: their correction, or null. */
  corrected: Map<string, string | null>;
  refreshing?: Promise<void>;
}

const lexicons = new WeakMap<Db, Lexicon>();

/**
 * Reads a question's words that no current chunk holds and that are not English words ("exmaple", "menor") as
 * the knowledge base word one edit away ("example", "minor"), or two edits away for longer words when the word
 * is common or a stopword ("whatar" → "what"). The most frequent of the nearest words wins. English words the
 * documents lack ("refrigerator") and names are left alone: they usually mean another subject.
 *
 * @example await correctSpelling(db, 'exmaple words of disgust') // → { text: 'example words of disgust', ... }
 */
export async function correctSpelling(db: Db, question: string): Promise<Spelling> {
  const asked = [...new Set(tokenize(question))].filter(
    (w) => w.length >= minLength && /^[a-z]+$/.test(w) && !questionStopwords.has(w),
  );
  if (asked.length === 0 || !wordnetAvailable()) return { text: question, corrections: [] };
  const { df } = await wordFrequencies(db, asked);
  const unknown = asked.filter((w) => df.get(w) === 0 && !isEnglishWord(w));
  if (unknown.length === 0) return { text: question, corrections: [] };
  const lexicon = await lexiconFor(db);
  const corrections: Spelling['corrections'] = [];
  for (const word of unknown) {
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

async function correctWord(db: Db, lexicon: Lexicon, word: string): Promise<string | null> {
  // One edit: every word one edit away, read by Postgres' stemmer, against the knowledge base's lexemes.
  const edits = [...oneEditFrom(word)];
  const rows = await queryRows<{ i: number; lexeme: string | null }>(
    db,
    sql`SELECT t.i::int AS i, (ts_lexize('english_stem', t.w))[1] AS lexeme
        FROM unnest(${pgTextArray(edits)}::text[]) WITH ORDINALITY AS t(w, i)`,
  );
  let best: { to: string; df: number; english: boolean } | undefined;
  for (const r of rows) {
    const to = edits[Number(r.i) - 1]!;
    const df = questionStopwords.has(to) ? lexicon.chunks : r.lexeme ? (lexicon.df.get(r.lexeme) ?? 0) : 0;
    if (df === 0) continue;
    // Of the forms of one lexeme, an English word reads best ("expires", not "expirs").
    const english = isEnglishWord(to) || questionStopwords.has(to);
    if (!best || df > best.df || (df === best.df && english && !best.english)) best = { to, df, english };
  }
  if (best) return best.to;
  if (word.length < twoEditsFrom) return null;
  // Two edits: only towards a stopword or a common word of the knowledge base, compared as Postgres stems.
  let far: { to: string; df: number } | undefined;
  for (const stopword of questionStopwords) {
    if (stopword.length >= 3 && editDistance(word, stopword, 2) <= 2)
      far = { to: stopword, df: lexicon.chunks };
  }
  if (far) return far.to;
  const [parsed] = await parseLexemes(db, [word]);
  const own = parsed?.lexeme ?? word;
  for (const [lexeme, df] of lexicon.df) {
    if (df < commonShare * lexicon.chunks || (far && df <= far.df)) continue;
    if (editDistance(own, lexeme, 2) <= 2) far = { to: lexeme, df };
  }
  return far ? surfaceForm(db, word, own, far.to) : null;
}

/** Every string one deletion, swap of neighbours, substitution or insertion of a letter away from `word`. */
function oneEditFrom(word: string): Set<string> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const edits = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of letters) {
      if (tail) edits.add(head + c + tail.slice(1));
      edits.add(head + c + tail);
    }
  }
  edits.delete(word);
  return edits;
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

/** The knowledge base's vocabulary, read on first use and then refreshed in the background when it grew or shrank. */
async function lexiconFor(db: Db): Promise<Lexicon> {
  const cached = lexicons.get(db);
  if (!cached) {
    const lexicon = await readLexicon(db);
    lexicons.set(db, lexicon);
    return lexicon;
  }
  if (cached.expires < Date.now() && !cached.refreshing) {
    // Reading the vocabulary scans every current chunk's lexemes (on the embedded database, on the server's
    // thread): skip it while the number of chunks, from the search's own cache, has not changed.
    if ((await currentChunkCount(db)) === cached.chunks) {
      cached.expires = Date.now() + lexiconTtlMs;
      return cached;
    }
    cached.refreshing = readLexicon(db)
      .then((fresh) => void lexicons.set(db, fresh))
      .catch(() => {
        cached.expires = Date.now() + lexiconTtlMs;
      })
      .finally(() => {
        cached.refreshing = undefined;
      });
  }
  return cached;
}

async function readLexicon(db: Db): Promise<Lexicon> {
  const chunks = await currentChunkCount(db);
  const rows = await queryRows<{ word: string; ndoc: number }>(
    db,
    sql`SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks WHERE is_current')
        WHERE ndoc >= ${minChunks} AND word ~ '^[a-z]+$'`,
  );
  const df = new Map(rows.map((r) => [r.word, Number(r.ndoc)] as const));
  // An empty knowledge base is about to be filled: read it again on the next question.
  const expires = Date.now() + (chunks > 0 ? lexiconTtlMs : 0);
  return { expires, chunks, df, corrected: new Map() };
}

/**
 * Edits (insertions, deletions, substitutions, swaps of neighbours) between two words, or `max + 1` once more
 * than `max` are needed.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, max + 1);
}
