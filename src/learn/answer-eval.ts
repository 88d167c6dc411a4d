import path from 'node:path';
import { z } from 'zod';
import { readJsonlFile } from '../knowledge/evaluate.ts';

// The scorer keeps its own tokenizer, stopwords and stemmer on purpose: retrieval and the offline composer
// tune theirs, and a ruler that moves with the thing it measures cannot compare a "before" with an "after".
const stopwords = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my ' +
    'no not of on or our so than that the their them then there these they this to was we were what when where ' +
    'which who why will with would you your yours about also any been being just more most only other over same ' +
    'some such too very should now up out off all both each few own please thanks thank hi hello may might must ' +
    'shall us he she him her his hers itself myself yourself ourselves themselves am isn aren wasn weren don ' +
    'doesn didn won wouldn shouldn couldn cannot let lets here yes ok okay'
  ).split(' '),
);

const citationMarker = /\[S\d+\]/g;

/** Strips common English inflections so "rotate", "rotating", "rotates" and "rotated" count as one word. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word) || /(ss|us|is)$/.test(word)) return word;
  let base = word;
  if (word.endsWith('ies') && word.length > 4) base = `${word.slice(0, -3)}y`;
  else if (word.endsWith('ing') && word.length >= 6) base = word.slice(0, -3);
  else if (word.endsWith('ed') && word.length >= 5) base = word.slice(0, -2);
  else if (/(x|z|ch|sh)es$/.test(word)) base = word.slice(0, -2);
  else if (word.endsWith('s')) base = word.slice(0, -1);
  // "rotate" and "rotat(ed)" meet without the final e.
  return base.length >= 5 && base.endsWith('e') ? base.slice(0, -1) : base;
}

/**
 * The content words of a text, in order and with repeats: lowercased, accents and citation markers removed,
 * stopwords dropped, lightly stemmed.
 * @example answerTerms('Rotating the keys [S1]') // ['rotat', 'key']
 */
export function answerTerms(text: string): string[] {
  const words =
    text
      .replace(citationMarker, ' ')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => !stopwords.has(w) && (w.length > 1 || /\d/.test(w))).map(stemWord);
}

export interface TokenScore {
  recall: number;
  precision: number;
  f1: number;
}

/**
 * Token overlap of an answer with a reference answer, as SQuAD scores it: the bags of content words meet
 * (each word counted as often as it appears in both), recall over the reference, precision over the answer.
 */
export function scoreAnswer(answer: string, reference: string): TokenScore {
  const got = answerTerms(answer);
  const want = answerTerms(reference);
  if (got.length === 0 || want.length === 0) return { recall: 0, precision: 0, f1: 0 };
  const counts = new Map<string, number>();
  for (const w of want) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of got) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(w, left - 1);
    }
  }
  const recall = shared / want.length;
  const precision = shared / got.length;
  const f1 = shared === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  return { recall, precision, f1 };
}

/** What an answerer said to one question: its text, the files it cited, and its own outcome if it keeps one. */
export interface AnswerRecord {
  answer: string;
  citedFiles: string[];
  /** The agent's recorded outcome (`answered`, `abstained`, `escalated`, ...). */
  outcome?: string | undefined;
}

// The offline composer's and the usual LLM phrasings of "the docs do not say".
const notCovered =
  /\b(documentation|docs|documents|information|knowledge base|articles?)\b[^.?!]{0,40}\b(doesn't|does not|don't|do not|didn't|did not|can't|cannot)\b[^.?!]{0,20}\b(cover|say|mention|contain|include|address|answer|have)|\b(couldn't|could not|can't|cannot|didn't|did not|unable to)\b[^.?!]{0,20}\bfind\b|\bi (don't|do not) (know|have (any )?information)\b|\bnot (covered|documented|mentioned)\b/i;

/**
 * Whether an answer declines to answer: the agent recorded `abstained`, or the answer cites nothing and says
 * the documentation does not cover the question.
 */
export function isAbstention(record: AnswerRecord): boolean {
  if (record.outcome === 'abstained') return true;
  return record.citedFiles.length === 0 && notCovered.test(record.answer);
}

const answerQuerySchema = z.object({
  id: z.string(),
  query: z.string(),
  relevant: z.array(z.string()).default([]),
  answer: z.string().optional(),
});

export type AnswerQuery = z.infer<typeof answerQuerySchema>;

const unanswerableSchema = z.object({ id: z.string(), query: z.string() });

export type UnanswerableQuery = z.infer<typeof unanswerableSchema>;

/** Reads a retrieval-layout query file (`{id, query, relevant, answer?}` per line). */
export function readAnswerQueries(file: string): Promise<AnswerQuery[]> {
  return readJsonlFile(file, answerQuerySchema);
}

/** Reads a list of questions the corpus does not cover (`{id, query}` per line). */
export function readUnanswerable(file: string): Promise<UnanswerableQuery[]> {
  return readJsonlFile(file, unanswerableSchema);
}

export interface AnswerMetrics {
  /** Answerable questions asked. */
  n: number;
  /** Questions with a reference answer, over which the token scores are averaged. */
  scored: number;
  token_recall: number;
  token_precision: number;
  token_f1: number;
  /** Share of answerable questions whose answer cites one of their relevant files. */
  cites_relevant: number;
  /** Share of answerable questions the answerer declined ("answerable refused"). */
  abstained: number;
  unanswerable?: { n: number; abstained: number };
  ms_per_query: number;
}

/** One question's result, for inspecting where an answerer goes wrong. */
export interface AnswerDetail {
  id: string;
  query: string;
  answerable: boolean;
  abstained: boolean;
  citesRelevant: boolean;
  score: TokenScore | undefined;
  record: AnswerRecord;
}

/**
 * Asks every question (answerable ones, then the unanswerable ones if given) and scores the answers: token
 * recall, precision and F1 against the reference answer (a declined answer scores 0: it conveys none of it),
 * the share citing a relevant file, and the abstention rate of each group. `onDetail` sees each result.
 */
export async function evaluateAnswers(
  queries: AnswerQuery[],
  ask: (query: string) => Promise<AnswerRecord>,
  options: { unanswerable?: UnanswerableQuery[]; onDetail?: (d: AnswerDetail) => void } = {},
): Promise<AnswerMetrics> {
  const started = performance.now();
  let recall = 0;
  let precision = 0;
  let f1 = 0;
  let scored = 0;
  let cites = 0;
  let abstained = 0;
  for (const q of queries) {
    const record = await ask(q.query);
    const declined = isAbstention(record);
    const relevant = new Set(q.relevant);
    const citesRelevant = record.citedFiles.some((f) => relevant.has(path.basename(f)));
    let score: TokenScore | undefined;
    if (q.answer !== undefined) {
      score = declined ? { recall: 0, precision: 0, f1: 0 } : scoreAnswer(record.answer, q.answer);
      recall += score.recall;
      precision += score.precision;
      f1 += score.f1;
      scored++;
    }
    if (citesRelevant) cites++;
    if (declined) abstained++;
    options.onDetail?.({
      id: q.id,
      query: q.query,
      answerable: true,
      abstained: declined,
      citesRelevant,
      score,
      record,
    });
  }
  let unanswerable: AnswerMetrics['unanswerable'];
  if (options.unanswerable) {
    let declinedCount = 0;
    for (const q of options.unanswerable) {
      const record = await ask(q.query);
      const declined = isAbstention(record);
      if (declined) declinedCount++;
      options.onDetail?.({
        id: q.id,
        query: q.query,
        answerable: false,
        abstained: declined,
        citesRelevant: false,
        score: undefined,
        record,
      });
    }
    unanswerable = {
      n: options.unanswerable.length,
      abstained: share(declinedCount, options.unanswerable.length),
    };
  }
  const asked = queries.length + (options.unanswerable?.length ?? 0);
  return {
    n: queries.length,
    scored,
    token_recall: share(recall, scored),
    token_precision: share(precision, scored),
    token_f1: share(f1, scored),
    cites_relevant: share(cites, queries.length),
    abstained: share(abstained, queries.length),
    ...(unanswerable ? { unanswerable } : {}),
    ms_per_query: Math.round(((performance.now() - started) / Math.max(asked, 1)) * 10) / 10,
  };
}

function share(sum: number, n: number): number {
  return Math.round((sum / Math.max(n, 1)) * 1000) / 1000;
}
