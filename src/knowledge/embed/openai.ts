import { createOpenAI } from '@ai-sdk/openai';
import { embedMany } from 'ai';
import { defaultOpenAIBaseURL } from '../../config.ts';
import { countTokens } from '../token-count.ts';
import { type Embedder } from './embedder.ts';

export interface OpenAIEmbedderOptions {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  /** Output dimensions; the model's default when omitted (1536 for text-embedding-3-small). */
  dimensions?: number | undefined;
  /** Attempts after the first on 429 and 5xx, with exponential back-off. */
  maxRetries?: number;
}

const defaultDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

// OpenAI's embeddings endpoint takes at most 2048 inputs and 300k tokens per request; stay under both.
const maxInputsPerRequest = 2048;
const maxTokensPerRequest = 250_000;

/** Embeddings from OpenAI or an OpenAI-compatible server, through the AI SDK's OpenAI provider. */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly provider;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.model = `openai:${options.model}`;
    const dims = options.dimensions ?? defaultDimensions[options.model];
    if (!dims) {
      throw new Error(
        `Unknown dimensions for embedding model ${options.model}: set PARLEY_EMBEDDING_DIMENSIONS`,
      );
    }
    this.dimensions = dims;
    // An explicit base URL keeps the provider from falling back to reading OPENAI_BASE_URL itself.
    this.provider = createOpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? defaultOpenAIBaseURL,
    });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (const batch of batches(texts)) {
      const { embeddings } = await embedMany({
        model: this.provider.embedding(this.options.model),
        values: batch,
        maxRetries: this.options.maxRetries ?? 5,
        ...(this.options.dimensions
          ? { providerOptions: { openai: { dimensions: this.options.dimensions } } }
          : {}),
      });
      for (const e of embeddings) {
        if (e.length !== this.dimensions) {
          throw new Error(`${this.model} returned ${e.length} dimensions, expected ${this.dimensions}`);
        }
        out.push(e);
      }
    }
    return out;
  }
}

/** Groups inputs into requests within the API's count and token limits. */
export function* batches(texts: string[]): Generator<string[]> {
  let batch: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const n = countTokens(text);
    if (batch.length && (batch.length >= maxInputsPerRequest || tokens + n > maxTokensPerRequest)) {
      yield batch;
      batch = [];
      tokens = 0;
    }
    batch.push(text);
    tokens += n;
  }
  if (batch.length) yield batch;
}
