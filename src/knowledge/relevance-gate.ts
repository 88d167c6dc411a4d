import { type Db } from '../db/client.ts';
import { answerFormOf, formStems } from './answer-forms.ts';
import { type Embedder } from './embed/embedder.ts';
import { termWeights, weighConcepts, withDerivedForms } from './concept-weights.ts';
import { type Expansion } from './lexical.ts';
import { fitsAnswerForm, passageEvidence, type WeightedConcept } from './relevance.ts';
import {
  coversDespiteSplit,
  declineReason,
  type DeclineReason,
  offTopic,
  splitCompound,
} from './relevance-declines.ts';
import { passageOrder } from './passage-order.ts';
import { questionParts } from './question-parts.ts';
import { type QuestionReading, readQuestion } from './question-reading.ts';
import { passagesAt, type SearchHit } from './search.ts';
import { learnedEvidence, placeKey } from './synonyms/learned.ts';

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
  declined: DeclineReason | undefined;
  /** The best passage's relevance, declined or not. */
  best: number;
}

// A passage this close to the best one is kept beside it; further below, it is the retriever's padding. At 0.6,
// passages the retriever ranked first or second but that share fewer of the question's words were dropped, and
// the answer could not cite them (bench/RESULTS.md, "Issue 12, sixth round: citations").
const keepShareOfBest = 0.5;
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
 * concept (its rarest word) while covering little else, or covers just one concept of several
 * (relevance-declines.ts). A question of several parts declined as a whole is answered by a part the
 * documentation covers.
 */
export async function judgeRelevance(
  deps: { db: Db; embedder: Embedder },
  question: string,
  hits: SearchHit[],
  threshold: number,
  reading?: QuestionReading,
): Promise<RelevanceJudgement> {
  // Misspelt words are read as the words the documents use ("exmaple" as "example").
  const { text: asked, concepts: read } = reading ?? (await readQuestion(deps.db, question));
  const concepts = await weighConcepts(deps.db, read);
  if (concepts.length === 0 || hits.length === 0) return { passages: [], declined: 'no-concepts', best: 0 };
  const learned = await learnedEvidence(deps.db, termWeights(concepts));
  const candidates = [...hits, ...(await lessonPassages(deps.db, learned, hits, threshold))];
  const judge = judgeAgainst({ asked, candidates, learned, threshold, embedder: deps.embedder });
  const whole = judge(concepts);
  if (!whole.declined) return whole;
  // "How do X evolve, and what does that mean for restoring Y?": the documentation may answer the second part.
  for (const part of questionParts(asked, concepts)) {
    const judgement = judge(part);
    if (!judgement.declined) return judgement;
  }
  return whole;
}

interface JudgementContext {
  asked: string;
  candidates: SearchHit[];
  learned: Map<string, number>;
  threshold: number;
  embedder: Embedder;
}

/** Judges the candidates against a set of the question's concepts: all of them, or one part's. */
function judgeAgainst({ asked, candidates, learned, threshold, embedder }: JudgementContext) {
  const semantic = !embedder.model.startsWith('local:');
  const form = answerFormOf(asked);
  const formWords = formStems(asked);
  return (concepts: WeightedConcept[]): RelevanceJudgement => {
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
      ? (offTopic(concepts, lead, scored) ?? splitCompound(asked, concepts, lead, candidates))
      : reasonOf(ranked[0]!);
    // A passage that covers nearly all of the question answers it even when the leading one has its compounds
    // apart ("billing plans": one passage has the words in other senses, another covers the whole question).
    const answering =
      declined === 'split-compound' ? covering.find(coversDespiteSplit) : declined ? undefined : lead;
    if (!answering) return { passages: [], declined, best: round(ranked[0]!.relevance) };
    const top = answering;
    const passages = [top, ...ranked.filter((s) => s !== top)]
      .filter((s) => s.relevance >= threshold && s.relevance >= keepShareOfBest * top.relevance)
      .map((s) => ({ hit: s.hit, relevance: round(s.relevance), matched: s.evidence.matched }));
    return { passages, declined: undefined, best: round(top.relevance) };
  };
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
export async function queryExpansions(
  db: Db,
  question: string,
  reading?: QuestionReading,
): Promise<Expansion[]> {
  const { corrections, concepts: read } = reading ?? (await readQuestion(db, question));
  const concepts = read.map(withDerivedForms);
  return [
    ...corrections.map((c) => ({ text: c.to, weight: correctionWeight })),
    ...concepts.flatMap((c) =>
      [...c.alternatives.values()].map((a) => ({ text: a.text, weight: a.weight * expansionShare })),
    ),
  ];
}
