import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../../test/support/fake-openai.ts';
import { batches, OpenAIEmbedder } from './openai.ts';

describe('OpenAI embedder against a local fake of the API', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());

  it('embeds through the real provider, in order, with the configured model, key and dimensions', async () => {
    const embedder = new OpenAIEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'text-embedding-3-small',
      dimensions: 256,
    });
    expect(embedder.model).toBe('openai:text-embedding-3-small');
    const vectors = await embedder.embed(['first text', 'second text', 'third']);
    expect(vectors).toHaveLength(3);
    expect(vectors.every((v) => v.length === 256)).toBe(true);
    expect(vectors[0]).not.toEqual(vectors[1]);
    const last = fake.requests.at(-1)!;
    expect(last.path).toBe('/v1/embeddings');
    expect(last.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text', 'third'],
      dimensions: 256,
    });
    expect(last.authorization).toBe('Bearer sk-test');
  });

  it('retries on 429 and 5xx, then succeeds', async () => {
    const embedder = new OpenAIEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'text-embedding-3-small',
    });
    const before = fake.requests.length;
    fake.failNext([429, 503]);
    const vectors = await embedder.embed(['retry me']);
    expect(vectors[0]).toHaveLength(1536);
    expect(fake.requests.length - before).toBe(3);
  });

  it('gives up after its retries with the API error', async () => {
    const embedder = new OpenAIEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'text-embedding-3-small',
      maxRetries: 1,
    });
    fake.failNext([500, 500]);
    await expect(embedder.embed(['doomed'])).rejects.toThrow(/fake failure 500/);
  });

  it('splits large inputs into requests within the API limits', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `text ${i}`);
    const sizes = [...batches(many)].map((b) => b.length);
    expect(sizes).toEqual([2048, 2048, 904]);
    const long = 'word '.repeat(100_000);
    expect([...batches([long, long, long])].map((b) => b.length)).toEqual([2, 1]);
  });

  it('needs explicit dimensions for a model it does not know', () => {
    expect(() => new OpenAIEmbedder({ apiKey: 'k', model: 'nomic-embed-text' })).toThrow(
      /PARLEY_EMBEDDING_DIMENSIONS/,
    );
    expect(new OpenAIEmbedder({ apiKey: 'k', model: 'nomic-embed-text', dimensions: 768 }).dimensions).toBe(
      768,
    );
  });
});
