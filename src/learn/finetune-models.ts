/** What Parley knows about a base model OpenAI fine-tunes: its training price and per-example token limit. */
export interface BaseModelInfo {
  id: string;
  /** US dollars per million training tokens (tokens in the training file × epochs). */
  trainingPerMillion: number | undefined;
  /** Longest example, in tokens, the provider accepts. */
  maxExampleTokens: number;
}

/**
 * OpenAI's published fine-tuning prices (standard tier, per 1M training tokens) and example limits when this
 * was written. Prices change: `parley finetune export --price` overrides them, and any other model id (an
 * OpenAI-compatible server's) is accepted with an unknown price.
 */
export const knownBaseModels: readonly BaseModelInfo[] = [
  { id: 'gpt-4.1-2025-04-14', trainingPerMillion: 25, maxExampleTokens: 65_536 },
  { id: 'gpt-4.1-mini-2025-04-14', trainingPerMillion: 5, maxExampleTokens: 65_536 },
  { id: 'gpt-4.1-nano-2025-04-14', trainingPerMillion: 1.5, maxExampleTokens: 65_536 },
  { id: 'gpt-4o-2024-08-06', trainingPerMillion: 25, maxExampleTokens: 65_536 },
  { id: 'gpt-4o-mini-2024-07-18', trainingPerMillion: 3, maxExampleTokens: 65_536 },
  { id: 'gpt-3.5-turbo-0125', trainingPerMillion: 8, maxExampleTokens: 16_385 },
];

export const defaultBaseModel = 'gpt-4.1-mini-2025-04-14';

/** Epochs assumed for estimates when none is given (OpenAI picks by dataset size; 3 is typical). */
export const defaultEpochs = 3;

/**
 * A base model's price and limit: an exact id, or an alias such as `gpt-4.1-mini` for its dated snapshot.
 * `overrides` (from flags) win over the table.
 */
export function baseModelInfo(
  id: string,
  overrides: { pricePerMillion?: number | undefined; maxExampleTokens?: number | undefined } = {},
): BaseModelInfo {
  const known =
    knownBaseModels.find((m) => m.id === id) ?? knownBaseModels.find((m) => m.id.startsWith(`${id}-`));
  return {
    id,
    trainingPerMillion: overrides.pricePerMillion ?? known?.trainingPerMillion,
    maxExampleTokens: overrides.maxExampleTokens ?? known?.maxExampleTokens ?? 65_536,
  };
}

/** Training cost in dollars: tokens per epoch × epochs × the price per million; undefined when the price is unknown. */
export function estimateTrainingCost(
  tokensPerEpoch: number,
  epochs: number,
  model: BaseModelInfo,
): number | undefined {
  if (model.trainingPerMillion === undefined) return undefined;
  return Math.round(((tokensPerEpoch * epochs) / 1_000_000) * model.trainingPerMillion * 100) / 100;
}
