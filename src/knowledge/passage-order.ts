/** What orders retrieved passages once each has been judged against the question. */
export interface OrderSignals {
  /** 0..1: how well the passage covers the question (relevance-gate's judgement). */
  relevance: number;
  /** 0..1: the share of the question its title and headings cover: what the passage is about. */
  topical: number;
  /** Whether it holds the kind of answer asked for (a duration for "how long", a number for "how many"). */
  fitsAnswerForm: boolean;
  /** Whether it holds a specific answer of the kind asked for (a phone number for "can I call you?"). */
  holdsAskedAnswer?: boolean;
  /** Its place in the retriever's list (0 first), which knows how prominent the words are. */
  rank: number;
  /** How many passages were retrieved. */
  count: number;
}

/**
 * The order in which passages are offered to the answer: coverage first, then what the section is about, the
 * answer's form and the retriever's rank, which separate passages that cover the question alike. Holding the
 * specific answer asked for outweighs the rank: such passages may come from a second search, ranked last.
 */
export function passageOrder(s: OrderSignals): number {
  return (
    s.relevance +
    0.3 * s.topical +
    (s.fitsAnswerForm ? 0.1 : 0) +
    (s.holdsAskedAnswer ? 0.35 : 0) +
    0.3 * (1 - s.rank / s.count)
  );
}
