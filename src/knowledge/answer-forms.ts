import { type Db } from '../db/client.ts';
import { passagesMatching, type SearchHit, type SearchOptions } from './search.ts';
import { stemLine } from './text.ts';

/** A kind of answer a question can ask for: a duration, a price, a count, a phone number, an email address. */
export interface AnswerForm {
  /** The question asks for this kind of answer ("how long", "phone number", "call you"). */
  asks: RegExp;
  /** Text holding such an answer. */
  answer: RegExp;
  /**
   * A Postgres regular expression that every text holding such an answer matches, to find stored passages
   * holding one; none for kinds too common to search for (any number answers "how many").
   */
  stored?: string;
  /** Words that text giving such an answer often uses beside it ("phone" by a number), searched with the question's. */
  words?: string;
}

// Ordered: the first form whose question pattern matches is the one asked for.
export const answerForms: AnswerForm[] = [
  {
    asks: /\bhow long\b/i,
    answer: /\b\d+(?:[-–]\d+)?\s*(?:seconds?|minutes?|hours?|days?|business days|weeks?|months?|years?)\b/i,
    stored: '[0-9] *(second|minute|hour|day|business day|week|month|year)',
  },
  {
    asks: /\bhow much\b/i,
    answer: /[$€£]\s?\d|\b\d+(?:\.\d+)?\s?(?:usd|eur|gbp|dollars?|euros?|%)/i,
    stored: '[$€£] ?[0-9]|[0-9] ?(usd|eur|gbp|dollar|euro|%)',
    words: 'price cost fee',
  },
  { asks: /\bhow (?:many|often)\b/i, answer: /\b\d+\b|\bevery\b/i },
  {
    // A phone of the customer's own ("my phone won't pair") asks for no number.
    asks: /\b(?:tele)?phone (?:number|line)s?\b|\btelephone\b|\bcall (?:you|us|support)\b|\bby phone\b/i,
    // An international prefix or a grouped number ("+1-800-555-0142", "(020) 7946 0958"); not a date.
    answer: /(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)\s?|\b\d{2,5}[ .-])\d{3,4}[ .-]?\d{3,4}\b/,
    stored: '[0-9]{2,5}[ .)-] ?[0-9]{3,4}[ .-]?[0-9]{3,4}',
    words: 'phone telephone call',
  },
  {
    asks: /\be-?mail (?:address|you|us|support)\b/i,
    answer: /[\w.+-]+@[\w-]+\.\w/,
    stored: '@[a-z0-9-]+\\.[a-z]',
    words: 'email mail',
  },
];

/** The kind of answer a question asks for, if its form says. */
export function answerFormOf(question: string): AnswerForm | undefined {
  return answerForms.find((f) => f.asks.test(question));
}

/**
 * The stems of the question's words that name the kind of answer it asks for ("phone number", "call"): a
 * passage holding such an answer has what those words ask for, whatever it calls it.
 */
export function formStems(question: string): Set<string> {
  const asked = answerFormOf(question)?.asks.exec(question)?.[0];
  return new Set(asked ? stemLine(asked).trim().split(' ').filter(Boolean) : []);
}

// Passages holding the kind of answer asked for, searched beside the question's: a few are enough to judge.
const answerPassages = 3;

/**
 * Current passages holding the kind of answer the question asks for (a phone number for "what's your phone
 * number?", "can I call you?"), most about the question's words first, that `found` lacks; none for questions
 * of other forms, which cost no query.
 */
export async function passagesHoldingAnswer(
  db: Db,
  question: string,
  found: SearchHit[],
  options: Pick<SearchOptions, 'product' | 'kind'> = {},
): Promise<SearchHit[]> {
  const form = answerFormOf(question);
  if (!form?.stored) return [];
  const hits = await passagesMatching(db, form.stored, `${question} ${form.words ?? ''}`, {
    ...options,
    limit: answerPassages * 2,
  });
  const seen = new Set(found.map((h) => h.chunkId));
  return hits.filter((h) => !seen.has(h.chunkId) && form.answer.test(h.text)).slice(0, answerPassages);
}
