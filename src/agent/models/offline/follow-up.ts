import { followUpStopwords, lightStem, tokenize } from '../../../knowledge/text.ts';

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

// Words that point back at something said earlier.
const anaphora =
  /\b(it|its|it's|they|them|their|this|that|these|those|there|one|ones|he|she|him|her|same|such|former|latter|above|previous)\b/i;
const followUpOpeners =
  /^\s*(and|or|but|so|also|then|what about|how about|why|which|any|is there|are there|can i|does)\b/i;

/** Content words of a text, in order, without duplicates (by stem). */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of tokenize(text)) {
    if (word.length < 3 || followUpStopwords.has(word) || /^\d+$/.test(word)) continue;
    const stem = lightStem(word);
    if (seen.has(stem)) continue;
    seen.add(stem);
    out.push(word);
  }
  return out;
}

/** Whether a question leans on the conversation so far ("does it rotate secrets too?"). */
export function isFollowUp(question: string): boolean {
  return contentWords(question).length <= 4 || anaphora.test(question) || followUpOpeners.test(question);
}

/**
 * A stand-alone search query for the last question, deterministically: a follow-up keeps its own words and
 * borrows the subject from the earlier user turns, most recent first. (With an LLM the model writes the
 * query itself when it calls the search tool.)
 *
 * @example rewriteFollowUp('does it rotate secrets too?', [{ role: 'user', text: 'What is Secrets Manager?' }])
 * // → 'does it rotate secrets too? secrets manager'
 */
export function rewriteFollowUp(question: string, history: Turn[], maxBorrowed = 8): string {
  const earlier = history.filter((t) => t.role === 'user');
  if (earlier.length === 0 || !isFollowUp(question)) return question;
  const own = new Set(contentWords(question).map(lightStem));
  const borrowed: string[] = [];
  for (const turn of [...earlier].reverse()) {
    for (const word of contentWords(turn.text)) {
      const stem = lightStem(word);
      if (own.has(stem) || borrowed.some((b) => lightStem(b) === stem)) continue;
      borrowed.push(word);
      if (borrowed.length >= maxBorrowed) break;
    }
    if (borrowed.length >= maxBorrowed) break;
  }
  return borrowed.length ? `${question} ${borrowed.join(' ')}` : question;
}
