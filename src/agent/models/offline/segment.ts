// Abbreviations after which a full stop ends no sentence, even before a capital ("Mr. Lee", "Fig. 3").
const abbreviations = new Set(
  (
    'mr mrs ms dr prof sr jr st mt nos fig figs vol vols ch sec approx dept inc ltd co corp vs etc e.g i.e ' +
    'cf al ca jan feb mar apr jun jul aug sep sept oct nov dec ref refs para pp eds rev tel ext'
  ).split(' '),
);

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * The sentences of a paragraph. `Intl.Segmenter` knows "e.g." before a lower-case word and decimals; a split
 * it makes after an abbreviation ("Mr.", "Fig.") or a lone initial is joined back.
 *
 * @example sentencesOf('See Fig. 3 for the ports, e.g. USB-C. Then restart.') // → ['See Fig. 3 for the ports, e.g. USB-C.', 'Then restart.']
 */
export function sentencesOf(paragraph: string): string[] {
  const sentences: string[] = [];
  let carry = '';
  for (const { segment } of segmenter.segment(paragraph)) {
    const text = carry + segment;
    const lastWord = /(?:^|[\s(])([\p{L}.]+)\.\s*$/u.exec(text)?.[1]?.toLowerCase();
    if (lastWord && (abbreviations.has(lastWord) || /^\p{L}$/u.test(lastWord))) {
      carry = text;
      continue;
    }
    carry = '';
    if (text.trim()) sentences.push(text.trim());
  }
  if (carry.trim()) sentences.push(carry.trim());
  return sentences;
}
