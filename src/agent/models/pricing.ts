/** USD per million tokens (input, output) of common models; unknown models cost 0 in reports. */
const pricePerMillion: Record<string, [number, number]> = {
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-5': [1.25, 10],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
};

/** Estimated cost of a call in USD, from the model id (`openai:gpt-4.1-mini`) and token counts. */
export function estimateCost(modelId: string, inputTokens: number, outputTokens: number): number {
  const name = modelId.replace(/^openai:/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const price = pricePerMillion[name];
  if (!price) return 0;
  return (inputTokens * price[0] + outputTokens * price[1]) / 1_000_000;
}
