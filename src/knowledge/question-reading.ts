import { type Db } from '../db/client.ts';
import { correctSpelling, type Spelling } from './spelling.ts';
import { vocabularyFor } from './synonyms/store.ts';
import { type Concept } from './synonyms/vocabulary.ts';

/** A question as retrieval reads it: misspelt words corrected, and the concepts it names. */
export interface QuestionReading extends Spelling {
  /** The concepts of the corrected question, with the other wordings the vocabulary knows for them. */
  concepts: Concept[];
}

/**
 * Reads a question once for a whole retrieval: the search's expansions and the relevance judgement take the
 * same reading, so spelling correction and concept extraction run once per question.
 */
export async function readQuestion(db: Db, question: string): Promise<QuestionReading> {
  const spelling = await correctSpelling(db, question);
  return { ...spelling, concepts: (await vocabularyFor(db)).concepts(spelling.text) };
}
