const pieceRe = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/**
 * Approximate token count for chunk budgets, close to OpenAI's BPE tokenizers for English prose: one token per
 * short word or symbol, long words split every ~6 characters. Exact counts are not needed for chunking and the
 * embedding APIs' input limits sit far above our chunk budget.
 */
export function countTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(pieceRe)) n += m[0].length <= 6 ? 1 : Math.ceil(m[0].length / 6);
  return n;
}
