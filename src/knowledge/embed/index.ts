import { type Config } from '../../config.ts';
import { type Embedder } from './embedder.ts';
import { LocalEmbedder } from './local.ts';
import { OpenAIEmbedder } from './openai.ts';

export * from './embedder.ts';
export { LocalEmbedder } from './local.ts';
export { OpenAIEmbedder } from './openai.ts';

/** OpenAI embeddings when a key is configured, otherwise the local embedder. */
export function createEmbedder(config: Pick<Config, 'openai' | 'embedding'>): Embedder {
  if (!config.openai) return new LocalEmbedder();
  return new OpenAIEmbedder({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseURL,
    model: config.embedding.openaiModel,
    dimensions: config.embedding.openaiDimensions,
  });
}
