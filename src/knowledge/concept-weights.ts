import { type Db } from '../db/client.ts';
import { wordFrequencies } from './lexical.ts';
import { type WeightedConcept } from './relevance.ts';
import { type Alternative, type Concept } from './synonyms/vocabulary.ts';
import { derivedForms } from './synonyms/wordnet.ts';
import { stem, tokenize } from './text.ts';

// The same word in another part of speech ("retained" for "retention") counts as much as another form of it
// that shares its beginning ("installation" for "install"; see relevance.ts).
const derivedWeight = 0.7;

// A bridge to a word at least this rare (as a share of the highest idf) counts fully; commoner words less.
const commonShare = 0.3;

/**
 * Concepts with their rarity in the knowledge base, without the words that name nothing. A bridge to a common
 * word counts less: "send" standing in for "deliver" says little in documentation where everything is sent.
 */
export async function weighConcepts(db: Db, asked: Concept[]): Promise<WeightedConcept[]> {
  const concepts = asked.map(withDerivedForms);
  const words = concepts
    .flatMap((c) => [c.text, ...[...c.alternatives.values()].map((a) => a.text)])
    .flatMap(tokenize);
  const { chunks, df } = await wordFrequencies(db, words);
  const idf = (n: number) => Math.log(1 + (chunks - n + 0.5) / (n + 0.5));
  const idfOf = (text: string) =>
    Math.max(0, ...tokenize(text).map((w) => idf(Math.min(chunks, df.get(w) ?? 0))));
  const maxIdf = idf(0);
  return concepts.flatMap((c) => {
    const own = tokenize(c.text);
    // A word Postgres drops as a stopword ("those", "between"), or that every chunk holds, names nothing.
    if (chunks > 0 && c.alternatives.size === 0 && own.every((w) => df.get(w) === chunks)) return [];
    const known = own.every((w) => (df.get(w) ?? 0) > 0);
    const conceptIdf = Math.max(0.1, known ? idfOf(c.text) : maxIdf);
    const alternatives = new Map<string, Alternative>();
    for (const [stems, alt] of c.alternatives) {
      // A word the corpus lacks has the highest rarity only for want of a count: found as another wording, it
      // weighs what that wording would ("shipping" found as "send").
      const lands = idfOf(alt.text);
      const weight = alt.weight * Math.min(1, lands / (commonShare * maxIdf));
      const share = known ? 1 : Math.min(1, lands / conceptIdf);
      alternatives.set(stems, { ...alt, weight, share });
    }
    return [{ ...c, alternatives, idf: conceptIdf, known, rarity: conceptIdf / maxIdf }];
  });
}

/**
 * A one-word concept with its derived forms as alternatives: a passage saying how long "logs are retained"
 * speaks to a question about "retention", a word the light stem leaves apart.
 */
export function withDerivedForms(c: Concept): Concept {
  if (c.stems.length !== 1) return c;
  const alternatives = new Map(c.alternatives);
  for (const form of derivedForms(c.text)) {
    const stems = stem(form);
    if (stems !== c.stems[0] && (alternatives.get(stems)?.weight ?? 0) < derivedWeight)
      alternatives.set(stems, { text: form, weight: derivedWeight });
  }
  return { ...c, alternatives };
}

/** Each stem of the question's concepts with its weight (rarity times concept weight), for learned evidence. */
export function termWeights(concepts: WeightedConcept[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const c of concepts) for (const s of c.stems) weights.set(s, c.idf * c.weight);
  return weights;
}
