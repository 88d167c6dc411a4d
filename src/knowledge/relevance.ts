import { lightStem, tokenize } from './embed/local.ts';

const stopwords = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my no ' +
    'not of on or our so than that the their them then there these they this to was we were what when where which ' +
    'who why will with would you your about also any been being just more most only other over same some such too ' +
    'very should now up out off all both each few own please thanks thank hi hello get got need want know tell'
  ).split(' '),
);

/** The distinct stemmed content terms of a text. */
export function contentTerms(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .filter((w) => w.length > 1 && !stopwords.has(w))
      .map(lightStem),
  );
}

/**
 * How much of a question a passage speaks to: the share of the question's content terms found in the passage
 * (its title and headings included), 0..1, halved when only one of several terms is found. Unlike fused ranking scores it is absolute, so one threshold can
 * tell "found something relevant" from "the docs do not cover this" whatever the embedder.
 */
export function passageRelevance(
  question: string,
  passage: { title: string; heading: string; text: string },
): number {
  const wanted = contentTerms(question);
  if (wanted.size === 0) return 0;
  const have = contentTerms(`${passage.title} ${passage.heading} ${passage.text}`);
  let found = 0;
  for (const term of wanted) if (have.has(term)) found++;
  // One shared word is not enough to speak to a question of several ("do you sell refrigerators?").
  if (wanted.size >= 2 && found < 2) return found / wanted.size / 2;
  return found / wanted.size;
}
