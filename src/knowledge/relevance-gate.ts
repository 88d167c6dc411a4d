import { type Db } from '../db/client.ts';
import { answerFormOf, formStems } from './answer-forms.ts';
import { type Embedder } from './embed/embedder.ts';
import { type Expansion, wordFrequencies } from './lexical.ts';
import {
  fitsAnswerForm,
  holdsPhrase,
  passageEvidence,
  type PassageEvidence,
  type WeightedConcept,
} from './relevance.ts';
import { passageOrder } from './passage-order.ts';
import { passagesAt, type SearchHit } from './search.ts';
import { correctSpelling } from './spelling.ts';
import { learnedEvidence, placeKey } from './synonyms/learned.ts';
import { vocabularyFor } from './synonyms/store.ts';
import { type Alternative, type Concept } from './synonyms/vocabulary.ts';
import { tokenize } from './text.ts';

/** A retrieved passage judged relevant, with the evidence for it. */
export interface RelevantPassage {
  hit: SearchHit;
  /** 0..1: how well the passage covers the question, counting bridged wordings, lessons and meaning. */
  relevance: number;
  /** The passage's words (stems) that matched the question's concepts. */
  matched: string[];
}

export interface RelevanceJudgement {
  /** Relevant passages, most relevant first; empty when the documentation does not cover the question. */
  passages: RelevantPassage[];
  /** Why the retrieved set was declined, if it was. */
  declined: 'no-concepts' | 'no-coverage' | 'missing-specific' | 'split-compound' | 'off-topic' | undefined;
  /** The best passage's relevance, declined or not. */
  best: number;
}

// A passage this close to the best one is kept beside it; further below, it is the retriever's padding.
const keepShareOfBest = 0.6;
// With this much of the question covered, a missing rare word is detail, not a different subject.
const coveredEnough = 0.75;
// Below this, a specific word missing from the best passage declines it even if the corpus has the word.
const partlyCovered = 0.6;
// A concept covered this well counts as covered ("send" for "ship" does; half a phrase does not).
const coveredMatch = 0.5;
// Lessons from resolved conversations count a little below the question's own words.
const learnedWeight = 0.9;
// Cosine similarity of OpenAI text-embedding-3 vectors: unrelated texts sit around 0.1-0.25, a passage that
// answers a question usually 0.4-0.7. Similarity is mapped linearly from the first to the second to 0..1.
const semanticFloor = 0.25;
const semanticFull = 0.5;

/**
 * Decides from the whole retrieved set whether the documentation answers a question, and which passages do.
 * Each passage is scored by the rarity-weighted share of the question's concepts it covers (exact words, then
 * synonyms and near forms counting less, each bridge capped at the rarity of the word it lands on), raised by
 * what resolved conversations taught and, with a model embedder, by calibrated vector similarity. The set is
 * declined when no passage reaches `threshold`, or when the best one misses the question's most specific
 * concept (its rarest word) while covering little else, or covers just one concept of several.
 */
export async function judgeRelevance(
  deps: { db: Db; embedder: Embedder },
  question: string,
  hits: SearchHit[],
  threshold: number,
): Promise<RelevanceJudgement> {
  const vocabulary = await vocabularyFor(deps.db);
  // Misspelt words are read as the words the documents use ("exmaple" as "example").
  const asked = (await correctSpelling(deps.db, question)).text;
  const concepts = await weighConcepts(deps.db, vocabulary.concepts(asked));
  if (concepts.length === 0 || hits.length === 0) return { passages: [], declined: 'no-concepts', best: 0 };
  const learned = await learnedEvidence(deps.db, termWeights(concepts));
  const candidates = [...hits, ...(await lessonPassages(deps.db, learned, hits, threshold))];
  const semantic = !deps.embedder.model.startsWith('local:');
  const form = answerFormOf(asked);
  const formWords = formStems(asked);
  const scored = candidates.map((hit, rank) => {
    const holdsAnswer = form?.stored !== undefined && form.answer.test(hit.text);
    const evidence = passageEvidence(concepts, hit, holdsAnswer ? formWords : undefined);
    const lesson = (learned.get(placeKey(hit.documentId, hit.heading)) ?? 0) * learnedWeight;
    const meaning = semantic ? semanticScore(hit.similarity, evidence.coverage) : 0;
    const relevance = Math.max(evidence.coverage, lesson, meaning);
    const order = passageOrder({
      relevance,
      topical: evidence.topical,
      fitsAnswerForm: fitsAnswerForm(asked, hit),
      holdsAskedAnswer: holdsAnswer,
      rank,
      count: candidates.length,
    });
    return { hit, rank, evidence, relevance, order };
  });
  const ranked = [...scored].sort((a, b) => b.order - a.order || a.rank - b.rank);
  // The set answers when some passage does: the first in order that no reason declines leads.
  const reasonOf = (s: (typeof scored)[number]) =>
    declineReason(concepts, s.evidence, s.relevance, threshold, s.relevance > s.evidence.coverage);
  const covering = ranked.filter((s) => reasonOf(s) === undefined);
  const lead = covering[0];
  const declined = lead
    ? (offTopic(lead, scored) ?? splitCompound(asked, concepts, lead, candidates))
    : reasonOf(ranked[0]!);
  // A passage that covers nearly all of the question answers it even when the leading one has its compounds
  // apart ("billing plans": one passage has the words in other senses, another covers the whole question).
  const answering =
    declined === 'split-compound'
      ? covering.find((s) => s.evidence.whole >= coveredDespiteSplit)
      : declined
        ? undefined
        : lead;
  if (!answering) return { passages: [], declined, best: round(ranked[0]!.relevance) };
  const top = answering;
  const passages = [top, ...ranked.filter((s) => s !== top)]
    .filter((s) => s.relevance >= threshold && s.relevance >= keepShareOfBest * top.relevance)
    .map((s) => ({ hit: s.hit, relevance: round(s.relevance), matched: s.evidence.matched }));
  return { passages, declined: undefined, best: round(top.relevance) };
}

// Below this share of the question in any retrieved title or heading, no section is about the question.
const aboutSomething = 0.1;
// A passage covering this much of the question answers it even from a section about something else.
const coveredInPassing = 0.8;

/**
 * 'off-topic' when no retrieved section names the question's subject in its title or headings and the leading
 * passage covers only part of the question: its words come up in passing ("buy" in a page about bots).
 */
function offTopic(
  top: { evidence: PassageEvidence; relevance: number },
  scored: { evidence: PassageEvidence }[],
): RelevanceJudgement['declined'] {
  if (top.evidence.whole >= coveredInPassing || top.relevance > top.evidence.coverage) return undefined;
  return scored.every((s) => s.evidence.topical < aboutSomething) ? 'off-topic' : undefined;
}

// A passage covering this much of the question answers it even if a compound of it only appears apart.
const coveredDespiteSplit = 0.9;
// A section whose title and headings name this much of the question is about it, however it words a compound.
const headedDespiteSplit = 0.75;
// Words at least this noun-like (concept weight) make a compound together ("delivery address").
const compoundWeight = 0.7;

/**
 * 'split-compound' when the question names compounds of two nouns ("delivery address") whose words the
 * leading passage holds, but no retrieved passage puts any of them side by side: the documentation uses the words for
 * other things ("Continuous Delivery", "IP address").
 */
function splitCompound(
  question: string,
  concepts: WeightedConcept[],
  top: { evidence: PassageEvidence; relevance: number },
  hits: SearchHit[],
): RelevanceJudgement['declined'] {
  if (top.evidence.whole >= coveredDespiteSplit || top.evidence.topical >= headedDespiteSplit)
    return undefined;
  if (top.relevance > top.evidence.coverage) return undefined;
  const asked = question.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Side by side in the question with only a space between, the first word not a name or acronym ("VPC price"
  // asks about VPC, which a passage may word any way).
  const adjacent = (a: WeightedConcept, b: WeightedConcept) => {
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = new RegExp(
      `(?<![\\p{L}\\p{N}])(${escape(a.text)}) +${escape(b.text)}(?![\\p{L}\\p{N}])`,
      'iu',
    ).exec(asked);
    return found !== null && !/\p{Lu}/u.test(found[1]!.slice(found.index === 0 ? 1 : 0));
  };
  const compounds = concepts.flatMap((a, i) => {
    const b = concepts[i + 1];
    const compound =
      b !== undefined &&
      a.stems.length === 1 &&
      b.stems.length === 1 &&
      a.weight >= compoundWeight &&
      b.weight >= compoundWeight &&
      top.evidence.matches[i]! >= coveredMatch &&
      top.evidence.matches[i + 1]! >= coveredMatch &&
      adjacent(a, b);
    return compound ? [[a, b] as const] : [];
  });
  // One compound found together is enough: the question's others may just be phrased differently.
  const split =
    compounds.length > 0 && !compounds.some(([a, b]) => hits.some((hit) => holdsPhrase(a, b, hit)));
  return split ? 'split-compound' : undefined;
}

// Passages that resolved earlier questions like this one are brought in beside the search's, at most this many.
const maxLessonPassages = 2;

/**
 * Passages of places (document and section) whose lessons alone vouch for the question but that the search did
 * not find: a customer's wording the documentation does not use ("my buds keep cutting out") still reaches the
 * section that answered it before.
 */
async function lessonPassages(
  db: Db,
  learned: Map<string, number>,
  hits: SearchHit[],
  threshold: number,
): Promise<SearchHit[]> {
  const found = new Set(hits.map((h) => placeKey(h.documentId, h.heading)));
  const places = [...learned]
    .filter(([place, evidence]) => evidence * learnedWeight >= threshold && !found.has(place))
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxLessonPassages)
    .map(([place]) => {
      const at = place.indexOf('\n');
      return { documentId: place.slice(0, at), heading: place.slice(at + 1) };
    });
  return passagesAt(db, places);
}

function declineReason(
  concepts: WeightedConcept[],
  evidence: PassageEvidence,
  relevance: number,
  threshold: number,
  vouched: boolean,
): RelevanceJudgement['declined'] {
  if (relevance < threshold) return 'no-coverage';
  // Lessons and meaning vouch for a passage that words the question differently.
  if (vouched || evidence.coverage >= coveredEnough) return undefined;
  const specificity = (c: WeightedConcept) => c.idf * c.weight;
  const most = Math.max(...concepts.map(specificity));
  // A specific word the whole knowledge base lacks ("refrigerators", an order number) means another subject;
  // one the knowledge base has elsewhere may just be phrased differently here, unless little else is covered.
  const missing = concepts.some(
    (c, i) =>
      specificity(c) >= 0.9 * most &&
      evidence.matches[i]! < coveredMatch &&
      (!c.known || evidence.coverage < partlyCovered),
  );
  if (missing) return 'missing-specific';
  // One shared word is not enough to speak to a question of several ("do you sell refrigerators?").
  const topical = concepts.filter((c) => c.weight === 1);
  const covered = concepts.filter((c, i) => c.weight === 1 && evidence.matches[i]! >= coveredMatch).length;
  if (topical.length >= 2 && covered < 2) return 'no-coverage';
  // Nor are its other words, when the question names its subject: "earning" for "earning your product", or
  // "send" standing in for "shipping", a word the knowledge base lacks.
  const named = concepts.filter(
    (c, i) => c.weight === 1 && evidence.matches[i]! * evidence.shares[i]! >= coveredMatch,
  ).length;
  if (topical.length >= 1 && topical.length < concepts.length && named === 0) return 'no-coverage';
  return undefined;
}

// A bridge to a word at least this rare (as a share of the highest idf) counts fully; commoner words less.
const commonShare = 0.3;

/**
 * Concepts with their rarity in the knowledge base, without the words that name nothing. A bridge to a common
 * word counts less: "send" standing in for "deliver" says little in documentation where everything is sent.
 */
export async function weighConcepts(db: Db, concepts: Concept[]): Promise<WeightedConcept[]> {
  const words = concepts
    .flatMap((c) => [c.text, ...[...c.alternatives.values()].map((a) => a.text)])
    .flatMap(tokenize);
  const { chunks, df } = await wordFrequencies(db, words);
  const idf = (n: number) => Math.log(1 + (chunks - n + 0.5) / (n + 0.5));
  const rarity = (text: string) =>
    Math.max(0, ...tokenize(text).map((w) => idf(Math.min(chunks, df.get(w) ?? 0))));
  const maxIdf = idf(0);
  return concepts.flatMap((c) => {
    const own = tokenize(c.text);
    // A word Postgres drops as a stopword ("those", "between"), or that every chunk holds, names nothing.
    if (chunks > 0 && c.alternatives.size === 0 && own.every((w) => df.get(w) === chunks)) return [];
    const known = own.every((w) => (df.get(w) ?? 0) > 0);
    const conceptIdf = Math.max(0.1, known ? rarity(c.text) : maxIdf);
    const alternatives = new Map<string, Alternative>();
    for (const [stems, alt] of c.alternatives) {
      // A word the corpus lacks has the highest rarity only for want of a count: found as another wording, it
      // weighs what that wording would ("shipping" found as "send").
      const lands = rarity(alt.text);
      const weight = alt.weight * Math.min(1, lands / (commonShare * maxIdf));
      const share = known ? 1 : Math.min(1, lands / conceptIdf);
      alternatives.set(stems, { ...alt, weight, share });
    }
    return [{ ...c, alternatives, idf: conceptIdf, known }];
  });
}

function termWeights(concepts: WeightedConcept[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const c of concepts) for (const s of c.stems) weights.set(s, c.idf * c.weight);
  return weights;
}

/** With a model embedder, vector similarity vouches for a paraphrase that shares few words with the passage. */
function semanticScore(similarity: number | undefined, coverage: number): number {
  if (similarity === undefined) return 0;
  const meaning = Math.min(1, Math.max(0, (similarity - semanticFloor) / (semanticFull - semanticFloor)));
  return 0.6 * meaning + 0.4 * coverage;
}

// Synonyms search at half the weight they count for in relevance.
const expansionShare = 0.5;
const round = (x: number) => Math.round(x * 100) / 100;

// A misspelt word's correction searches nearly as the customer's own word would.
const correctionWeight = 0.9;

/**
 * Other wordings of a question's concepts for the full-text search, weighted below the question's own words:
 * corrections of misspelt words at 0.9, curated and staff synonyms at 0.4-0.45, WordNet's at 0.25.
 */
export async function queryExpansions(db: Db, question: string): Promise<Expansion[]> {
  const spelling = await correctSpelling(db, question);
  const concepts = (await vocabularyFor(db)).concepts(spelling.text);
  return [
    ...spelling.corrections.map((c) => ({ text: c.to, weight: correctionWeight })),
    ...concepts.flatMap((c) =>
      [...c.alternatives.values()].map((a) => ({ text: a.text, weight: a.weight * expansionShare })),
    ),
  ];
}
