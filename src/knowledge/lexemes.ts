import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';

/** One lexeme of a parsed text and how often the text holds it. */
export interface ParsedLexeme {
  /** Index of the text in the list parsed. */
  text: number;
  lexeme: string;
  count: number;
}

// Postgres' English stemming of a plain word never changes, so each word is sent to Postgres once per process
// and the lexeme (or null for a stopword) kept. Questions reuse a small vocabulary; the cap bounds memory.
const lexemeOf = new Map<string, string | null>();
const maxCachedWords = 50_000;
// Punctuation the Postgres parser treats as a separator around a word.
const edgePunctuation = /^["'“”‘’([{<.,;:!?]+|["'“”‘’)\]}>.,;:!?]+$/g;
const plainWord = /^[a-z]+$/;

/**
 * The lexemes of each text as `to_tsvector('english', text)` gives them. A text of plain words (letters only,
 * with separators around them) is read from the per-process cache; texts with other tokens (numbers, hyphens,
 * paths, addresses), and words not seen before, go to Postgres in one round trip.
 */
export async function parseLexemes(db: Db, texts: string[]): Promise<ParsedLexeme[]> {
  const local = texts.map(plainWords);
  const unknown = [...new Set(local.flatMap((words) => words ?? []).filter((w) => !lexemeOf.has(w)))];
  const sent = texts.flatMap((text, i) => (local[i] ? [] : [{ text, i }]));
  if (unknown.length > 0 || sent.length > 0) {
    const inputs = [...sent.map((s) => s.text), ...unknown];
    const rows = await queryRows<{ i: number; lexeme: string; n: number }>(
      db,
      sql`SELECT t.i::int AS i, v.lexeme, cardinality(v.positions) AS n
          FROM unnest(${pgTextArray(inputs)}::text[]) WITH ORDINALITY AS t(txt, i),
            unnest(to_tsvector('english', t.txt)) AS v`,
    );
    if (lexemeOf.size + unknown.length > maxCachedWords) lexemeOf.clear();
    for (const word of unknown) lexemeOf.set(word, null);
    const parsed: ParsedLexeme[] = [];
    for (const r of rows) {
      const at = Number(r.i) - 1;
      if (at < sent.length) parsed.push({ text: sent[at]!.i, lexeme: r.lexeme, count: Number(r.n) });
      else lexemeOf.set(unknown[at - sent.length]!, r.lexeme);
    }
    return [...parsed, ...fromCache(local)].sort((a, b) => a.text - b.text);
  }
  return fromCache(local);
}

function fromCache(local: (string[] | undefined)[]): ParsedLexeme[] {
  return local.flatMap((words, i) => {
    if (!words) return [];
    const counts = new Map<string, number>();
    for (const w of words) {
      const lexeme = lexemeOf.get(w);
      if (lexeme) counts.set(lexeme, (counts.get(lexeme) ?? 0) + 1);
    }
    return [...counts].map(([lexeme, count]) => ({ text: i, lexeme, count }));
  });
}

/** The lower-cased words of a text made only of plain words and separating punctuation, else undefined. */
function plainWords(text: string): string[] | undefined {
  const words: string[] = [];
  for (const token of text.toLowerCase().split(/\s+/)) {
    const word = token.replace(edgePunctuation, '');
    if (!word) continue;
    if (!plainWord.test(word)) return undefined;
    words.push(word);
  }
  return words;
}

/** A text[] literal, each element quoted. */
export function pgTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
