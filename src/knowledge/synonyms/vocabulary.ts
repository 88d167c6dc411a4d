import { questionStopwords, stem, tokenize } from '../text.ts';
import { supportSynonyms } from './support.ts';
import { nounness, wordnetSynonyms } from './wordnet.ts';

/** How much a match through each kind of bridge counts; a word the question itself uses counts 1. */
export const bridgeWeights = { staff: 0.9, support: 0.8, wordnet: 0.5 } as const;

/** One thing a question asks about, with the other wordings a passage may use for it. */
export interface Concept {
  /** The question's own words for it, stemmed ("money back" → ['money', 'back']). */
  stems: string[];
  /** The words as the customer wrote them. */
  text: string;
  /** Other wordings by their space-joined stems: the words, and what a match on them counts (below 1). */
  alternatives: Map<string, Alternative>;
  /** 1, or less for words nearly every support question has ("problem", "help"). */
  weight: number;
}

/** Another wording of a concept. */
export interface Alternative {
  text: string;
  weight: number;
  /** The share of the concept's weight a match through it stands for, if less than all of it. */
  share?: number;
}

/** A group of equivalent wordings and what a match through it counts. */
export interface SynonymGroup {
  phrases: readonly string[];
  weight: number;
}

/** What a generic word of a question counts (its request, manner, counting words); topic words count more. */
export const genericWeight = 0.3;

// Words of support questions that name no topic of their own: the request ("explain", "examples"), its
// manner and counting words. They count a little, since documentation rarely repeats them.
const genericWords = new Set(
  (
    'problem issue question help way ways thing things something anything work working use using make find ' +
    'info information detail details possible able happen happens still sure trouble try tried explain ' +
    'describe clarify mean meaning define definition summarize summarise summary overview example examples ' +
    'difference differences advantage advantages disadvantage disadvantages benefit benefits drawback drawbacks ' +
    'downside downsides pros cons give show tell purpose provide provided ' +
    'without within general specific different various kind kinds type types available another several ' +
    'one two three four five six seven eight nine ten first second last best good better new exactly ' +
    'current currently existing actually basically mentioned said talking regarding related assistance assist need needs among worth respect aspect aspects regard encounter definitive concern ' +
    'concerning'
  ).split(' '),
);
// Conjunctions and adverbs that WordNet and the stopword lists lack, so they would pass for names.
const functionWords = new Set(
  'whenever wherever whatever whoever whichever however whether although though unless whereas'.split(' '),
);
// Verbs and adjectives count this much at least, nouns fully (see `nounness`).
const verbWeight = 0.5;

/** How much a content word says about the topic: nouns and unknown words (names, jargon) most. */
function topicWeight(word: string): number {
  return verbWeight + (1 - verbWeight) * nounness(word);
}
// "How long", "how many": the form of the answer (a duration, a number), not its subject.
const answerForm = /\bhow (long|much|many|often|soon|far|big|old)\b/gi;
const longestPhrase = 4;

const stemsOf = (phrase: string) => tokenize(phrase).map(stem).join(' ');

/**
 * Reads questions into concepts: runs of words that a synonym group names ("money back", "where is my") become
 * one concept with the group's other wordings as alternatives; every other content word is a concept of its
 * own, bridged by its strong WordNet synonyms.
 *
 * @example new Vocabulary().concepts('How do I get my money back?')
 * // → [{ stems: ['money', 'back'], alternatives: Map { 'refund' => { text: 'refund', weight: 0.8 }, ... }, ... }]
 */
export class Vocabulary {
  private readonly byPhrase = new Map<string, Map<string, Alternative>>();

  /** The support vocabulary, plus any staff-edited groups (which count a little more). */
  constructor(staffGroups: readonly (readonly string[])[] = []) {
    for (const phrases of supportSynonyms) this.addGroup({ phrases, weight: bridgeWeights.support });
    for (const phrases of staffGroups) this.addGroup({ phrases, weight: bridgeWeights.staff });
  }

  private addGroup(group: SynonymGroup): void {
    const phrases = new Map(group.phrases.map((p) => [stemsOf(p), p.toLowerCase()] as const));
    phrases.delete('');
    for (const phrase of phrases.keys()) {
      const alternatives = this.byPhrase.get(phrase) ?? new Map<string, Alternative>();
      for (const [other, text] of phrases) {
        if (other !== phrase && (alternatives.get(other)?.weight ?? 0) < group.weight)
          alternatives.set(other, { text, weight: group.weight });
      }
      this.byPhrase.set(phrase, alternatives);
    }
  }

  /** The concepts of a question, in the order it names them, without duplicates. */
  concepts(question: string): Concept[] {
    const words = tokenize(question.replace(answerForm, 'how'));
    const stems = words.map(stem);
    const concepts: Concept[] = [];
    const seen = new Set<string>();
    const push = (concept: Concept) => {
      const key = concept.stems.join(' ');
      if (seen.has(key)) return;
      seen.add(key);
      concepts.push(concept);
    };
    for (let i = 0; i < words.length;) {
      const phrase = this.phraseAt(stems, i);
      if (phrase) {
        const own = stems.slice(i, i + phrase.length).filter((_, k) => !questionStopwords.has(words[i + k]!));
        push({
          stems: own.length ? own : stems.slice(i, i + phrase.length),
          text: words.slice(i, i + phrase.length).join(' '),
          alternatives: this.withWordnet(phrase.alternatives, words.slice(i, i + phrase.length)),
          weight: 1,
        });
        i += phrase.length;
        continue;
      }
      const word = words[i]!;
      if (word.length > 1 && !questionStopwords.has(word) && !functionWords.has(word)) {
        push({
          stems: [stems[i]!],
          text: word,
          alternatives: this.withWordnet(new Map(), [word]),
          weight: genericWords.has(word) || genericWords.has(stems[i]!) ? genericWeight : topicWeight(word),
        });
      }
      i++;
    }
    return concepts;
  }

  /** The longest synonym-group phrase starting at word `i`, if any. */
  private phraseAt(
    stems: string[],
    i: number,
  ): { length: number; alternatives: Map<string, Alternative> } | undefined {
    for (let n = Math.min(longestPhrase, stems.length - i); n >= 1; n--) {
      const alternatives = this.byPhrase.get(stems.slice(i, i + n).join(' '));
      if (alternatives) return { length: n, alternatives: new Map(alternatives) };
    }
    return undefined;
  }

  private withWordnet(alternatives: Map<string, Alternative>, words: string[]): Map<string, Alternative> {
    if (words.length !== 1 || /\d/.test(words[0]!)) return alternatives;
    for (const synonym of wordnetSynonyms(words[0]!)) {
      const stems = stemsOf(synonym);
      if (stems && !alternatives.has(stems))
        alternatives.set(stems, { text: synonym, weight: bridgeWeights.wordnet });
    }
    alternatives.delete(stem(words[0]!));
    return alternatives;
  }
}

let standard: Vocabulary | undefined;

/** The support vocabulary without staff additions, built once. */
export function standardVocabulary(): Vocabulary {
  standard ??= new Vocabulary();
  return standard;
}
