import { describe, expect, it } from 'vitest';
import { isEnglishWord, wordnetSynonyms } from './wordnet.ts';

describe('WordNet', () => {
  it('knows irregular forms by their exception lists, so "forgot" is no typo', () => {
    for (const word of ['forgot', 'children', 'geese', 'mice', 'went', 'worse'])
      expect(isEnglishWord(word)).toBe(true);
    expect(isEnglishWord('forgott')).toBe(false);
  });

  it('reads an irregular form as its lemma: "bought" meets "purchase", as "buy" does', () => {
    expect(wordnetSynonyms('bought')).toContain('purchase');
    expect(wordnetSynonyms('sent')).toEqual(wordnetSynonyms('send'));
  });
});
