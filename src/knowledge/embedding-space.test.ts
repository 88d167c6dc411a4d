import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { settings } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import {
  EmbeddingSpaceMismatch,
  embeddingSpaceMaxAgeMs,
  ensureEmbeddingSpace,
  recentEmbeddingSpace,
  writeEmbeddingSpace,
} from './embedding-space.ts';
import { searchKnowledge } from './search.ts';

describe.each(backends)('the embedding space searches read, on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const local = { model: embedder.model, dimensions: embedder.dimensions };
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('sees the first recording at once: an empty knowledge base is not remembered', async () => {
    expect(await recentEmbeddingSpace(database.db)).toBeUndefined();
    await ensureEmbeddingSpace(database.db, embedder);
    expect(await recentEmbeddingSpace(database.db)).toEqual(local);
  });

  it('sees a change made in this process at once, and searches refuse the old embedder', async () => {
    await searchKnowledge({ db: database.db, embedder }, 'ring light');
    const other = { model: 'text-embedding-3-small', dimensions: 64 };
    await writeEmbeddingSpace(database.db, other);
    expect(await recentEmbeddingSpace(database.db)).toEqual(other);
    await expect(searchKnowledge({ db: database.db, embedder }, 'ring light')).rejects.toThrow(
      EmbeddingSpaceMismatch,
    );
    await writeEmbeddingSpace(database.db, local);
    await expect(searchKnowledge({ db: database.db, embedder }, 'ring light')).resolves.toEqual([]);
  });

  it('sees a change made by another process once its copy is older than the limit', async () => {
    const start = Date.now();
    expect(await recentEmbeddingSpace(database.db, start)).toEqual(local);
    // What another replica's reindex leaves behind: only the row changes, this process bumps nothing.
    const other = { model: 'text-embedding-3-small', dimensions: 64 };
    await database.db.update(settings).set({ value: other }).where(eq(settings.key, 'embedding'));
    expect(await recentEmbeddingSpace(database.db, start + 1)).toEqual(local);
    expect(await recentEmbeddingSpace(database.db, start + embeddingSpaceMaxAgeMs)).toEqual(other);
    await writeEmbeddingSpace(database.db, local);
  });
});
