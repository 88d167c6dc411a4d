// A sentence whose subject is a pronoun ("It applies to ...") names its subject in the sentence before.
const pronounSubject = /^(?:this|that|these|those|it|its|they|their|such)\b/i;
// A sentence that adds to the one before ("However, ...", "You can also ...") reads fine after other sentences
// of its section, but cannot open an answer.
const addsToPrevious =
  /^(?:then|however|otherwise|instead|additionally|moreover|furthermore|likewise|similarly|also|in addition)\b|^(?:\S+\s+){0,3}also\b/i;

/** Whether a sentence names its subject by a pronoun, so is quoted only after the sentence before it. */
export function refersBack(text: string): boolean {
  return pronounSubject.test(text);
}

/**
 * Whether a sentence depends on the one before it, so cannot open an answer.
 *
 * @example leansOnPrevious('It also applies to the Aura 700 Certified Refurbished.') // → true
 */
export function leansOnPrevious(text: string): boolean {
  return pronounSubject.test(text) || addsToPrevious.test(text);
}
