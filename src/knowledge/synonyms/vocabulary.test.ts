import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.ts';
import { kindsOfName, nounness, wordnetSynonyms } from './wordnet.ts';

const alternativesOf = (question: string) =>
  new Vocabulary().concepts(question).map((c) => [c.text, [...c.alternatives.values()].map((a) => a.text)]);

describe('the support vocabulary', () => {
  it('reads a phrase a group names as one concept bridged to the group', () => {
    const [concept] = new Vocabulary().concepts('How do I get my money back?');
    expect(concept!.stems).toEqual(['money', 'back']);
    expect([...concept!.alternatives.values()].map((a) => a.text)).toContain('refund');
    expect(concept!.alternatives.get('refund')!.weight).toBeLessThan(1);
  });

  it('bridges common support paraphrases', () => {
    expect(alternativesOf('connect bluetooth')[0]![1]).toContain('pair');
    expect(alternativesOf('how long is the guarantee')[0]![1]).toContain('warranty');
  });

  it('drops the answer form and counts request words less', () => {
    const concepts = new Vocabulary().concepts('Could you explain how long the battery lasts?');
    expect(concepts.map((c) => c.text)).not.toContain('long');
    expect(concepts.find((c) => c.text === 'explain')!.weight).toBeLessThan(0.5);
  });

  it('adds staff groups, counting them above the built-in ones', () => {
    const [concept] = new Vocabulary([['kestrel plus', 'premium plan']]).concepts('premium plan');
    expect(concept!.alternatives.get('kestrel plus')).toEqual({ text: 'kestrel plus', weight: 0.9 });
  });
});

describe('WordNet', () => {
  it('gives strong synonyms both ways and leaves rare senses out', () => {
    expect(wordnetSynonyms('warranty')).toContain('guarantee');
    expect(wordnetSynonyms('guarantee')).toContain('warranty');
    // "charge" is an accusation in one of its senses, but not a strong one of "accuse".
    expect(wordnetSynonyms('charge')).not.toContain('accuse');
    expect(wordnetSynonyms('number')).not.toContain('benumbed');
  });

  it('knows which names are of one kind', () => {
    const australia = kindsOfName('australia');
    expect([...kindsOfName('canada')].some((k) => australia.has(k))).toBe(true);
    expect(kindsOfName('refrigerator').size).toBe(0);
  });

  it('tells nouns from verbs', () => {
    expect(nounness('warranty')).toBe(1);
    expect(nounness('obtain')).toBe(0);
    expect(nounness('cloudant')).toBe(1);
  });

  it('answers a repeated look-up from its cache (the same list, not a new search)', () => {
    const words = ['battery', 'screen', 'invoice', 'delivery', 'install', 'cancel', 'update', 'restore'];
    const first = words.map((w) => wordnetSynonyms(w));
    words.forEach((w, i) => expect(wordnetSynonyms(w)).toBe(first[i]));
    expect(wordnetSynonyms('  Battery ')).toBe(first[0]);
  });
});
