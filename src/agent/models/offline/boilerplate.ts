import { answerFormOf } from '../../../knowledge/answer-forms.ts';
import { type Unit } from './passage-units.ts';

// A sentence pointing at something the answer does not show: a code sample, a message, a figure.
const pointsElsewhere =
  /\bthe following\b|\b(?:that|which) follows?\b|\bbelow\b|\bshown here\b|\bthis example\b/i;
// Image descriptions written out as text ("Diagram of how a question gets routed ...", "Shows a node that ...").
const caption = /^(?:(?:diagram|image|screenshot|figure|illustration|picture)s? (?:of|showing)|shows)\b/i;
// Characters that are common in code, JSON and shell commands and rare in prose.
const codeCharacters = /[{}[\]()<>='"$|\\]/g;
// A customer asking for code, a command or an example wants it quoted.
const asksForCode = /\b(?:code|command|commands|syntax|snippet|script|example|json|cli|curl|api)\b/i;

/**
 * Whether a unit is worth quoting in a prose answer to the question: not a pointer to content the answer leaves
 * out, not an image caption, not a word or two, and not code unless the question asks for code.
 *
 * @example speaksPlainly({ text: "use_frameworks! target 'MyApp' do pod 'OpenWhisk' end", ... }, 'What issues might arise?') // → false
 */
export function speaksPlainly(unit: Unit, question: string): boolean {
  if (pointsElsewhere.test(unit.text) || caption.test(unit.text)) return false;
  // A word or two: a list label that means nothing without the line introducing the list, or a fragment;
  // unless it gives what the question asks for ("Email support@example.com.").
  if (unit.text.split(' ').length <= 2 && !givesAskedAnswer(unit.text, question)) return false;
  return asksForCode.test(question) || !looksLikeCode(unit.text);
}

/** Code reads as a run of symbols: at least one character in ten is a bracket, quote, `=` or `$`. */
function looksLikeCode(text: string): boolean {
  if (/=>|&&|\|\||;\s*}/.test(text)) return true;
  const symbols = text.match(codeCharacters)?.length ?? 0;
  return symbols >= 4 && symbols / text.replace(/\s/g, '').length >= 0.1;
}

/** Whether a text holds the specific kind of answer the question asks for: a phone number, an email address. */
function givesAskedAnswer(text: string, question: string): boolean {
  const form = answerFormOf(question);
  return form?.stored !== undefined && form.answer.test(text);
}
