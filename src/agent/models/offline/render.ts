import { standardVocabulary } from '../../../knowledge/synonyms/vocabulary.ts';
import { stem, tokenize } from '../../../knowledge/text.ts';
import { type Unit } from './passage-units.ts';

const yesNoQuestion = /^\s*(?:do|does|did|can|could|is|are|was|will|would|should|has|have)\b/i;
const negation = /^(?:not|never|cannot|can't|don't|doesn't|won't|isn't|aren't)$/;

/**
 * The chosen units as an answer: sentences run on as prose, list items and steps stand on their own lines, each
 * cited with its passage marker; another section of the document starts a new paragraph. A yes/no question whose answer denies what it asks ("We do not ship
 * elsewhere") is answered "No." first.
 */
export function renderAnswer(units: Unit[], question: string): string {
  if (units.length === 0) return '';
  let out = '';
  units.forEach((unit, i) => {
    const cited = cite(unit.text, unit.ref);
    const previous = units[i - 1];
    if (!previous) out = unit.marker ? `${unit.marker} ${cited}` : cited;
    else if (unit.marker)
      out += `${previous.marker && previous.place === unit.place ? '\n' : '\n\n'}${unit.marker} ${cited}`;
    else out += previous.marker || previous.place !== unit.place ? `\n\n${cited}` : ` ${cited}`;
  });
  return deniesQuestion(units[0]!.text, question) ? `No. ${out}` : out;
}

/** Whether a sentence negates the question's own verb or subject: "We do not ship ..." for "Do you ship ...?". */
export function deniesQuestion(sentence: string, question: string): boolean {
  if (!yesNoQuestion.test(question)) return false;
  const asked = new Set(
    standardVocabulary()
      .concepts(question)
      .filter((c) => c.weight === 1 && c.stems.length === 1)
      .map((c) => c.stems[0]!),
  );
  const words = sentence.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return words.some(
    (w, i) =>
      negation.test(w) &&
      words.slice(i + 1, i + 3).some((next) => tokenize(next).some((t) => asked.has(stem(t)))),
  );
}

function cite(text: string, ref: string): string {
  const end = /[.!?]$/.exec(text);
  return end ? `${text.slice(0, -1)} [${ref}]${end[0]}` : `${text} [${ref}]`;
}
