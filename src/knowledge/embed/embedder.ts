/** Turns text into vectors of one fixed embedding space. */
export interface Embedder {
  /** Identifies the space, e.g. `local:hash-v1` or `openai:text-embedding-3-small`; spaces never mix. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** The embedding space recorded in the database. */
export interface EmbeddingSpace {
  model: string;
  dimensions: number;
}
