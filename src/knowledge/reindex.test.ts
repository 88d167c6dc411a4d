import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder, OpenAIEmbedder } from './embed/index.ts';
import { readEmbeddingSpace } from './embedding-space.ts';
import { ingestInputs } from './ingest.ts';
import { reindexKnowledge } from './reindex.ts';
import { searchKnowledge } from './search.ts';
import { rollbackDocument } from './versions.ts';
import fs from 'node:fs';
import path from 'node:path';

describe.each(backends)('switching embedding models on %s', (backend) => {
  let database: TestDatabase;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    [database, fake] = await Promise.all([createTestDatabase(backend), startFakeOpenAI()]);
  });
  afterAll(async () => {
    await database?.destroy();
    await fake?.close();
  });

  it('re-embeds every version into the new space, after which only the new embedder may search', async () => {
    const local = new LocalEmbedder();
    const dir = writeTree({ 'hub.md': '# Hub\n\nThe ring light is blue when the hub is online.' });
    await ingestInputs({ db: database.db, embedder: local }, [dir], testIngestSettings);
    fs.writeFileSync(path.join(dir, 'hub.md'), '# Hub\n\nThe ring light is green when the hub is online.');
    await ingestInputs({ db: database.db, embedder: local }, [dir], testIngestSettings);

    const openai = new OpenAIEmbedder({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'text-embedding-3-small',
      dimensions: 64,
    });
    await expect(searchKnowledge({ db: database.db, embedder: openai }, 'ring light')).rejects.toThrow(
      /parley reindex/,
    );

    const result = await reindexKnowledge(database.db, openai);
    expect(result).toEqual({ from: 'local:hash-v1', to: 'openai:text-embedding-3-small', chunks: 2 });
    expect(await readEmbeddingSpace(database.db)).toEqual({
      model: 'openai:text-embedding-3-small',
      dimensions: 64,
    });

    const hits = await searchKnowledge({ db: database.db, embedder: openai }, 'ring light');
    expect(hits[0]!.text).toContain('green');
    await expect(searchKnowledge({ db: database.db, embedder: local }, 'ring light')).rejects.toThrow(
      /parley reindex/,
    );
    // Older versions were re-embedded too, so rollback still works in the new space.
    await rollbackDocument(database.db, 'hub.md', 1);
    expect((await searchKnowledge({ db: database.db, embedder: openai }, 'ring light'))[0]!.text).toContain(
      'blue',
    );
  });

  it('re-embeds a knowledge base whose pages are full (updates that cannot stay on their page)', async () => {
    const db = await createTestDatabase(backend);
    try {
      const local = new LocalEmbedder();
      // Enough chunks to fill several table pages: a re-embedded row then moves to another page, and the old
      // row version (still the old dimensions) is one the index build reads.
      const sections = Array.from(
        { length: 40 },
        (_, i) => `## Part ${i}\n\nStep ${i} of the hub set-up: hold the button for ${i + 2} seconds.`,
      );
      const dir = writeTree({ 'guide.md': `# Hub guide\n\n${sections.join('\n\n')}` });
      await ingestInputs({ db: db.db, embedder: local }, [dir], {
        ...testIngestSettings,
        chunk: { maxTokens: 40, overlapTokens: 0 },
      });
      const openai = new OpenAIEmbedder({
        apiKey: 'sk-test',
        baseURL: fake.baseURL,
        model: 'text-embedding-3-small',
        dimensions: 64,
      });
      const result = await reindexKnowledge(db.db, openai);
      expect(result.chunks).toBeGreaterThan(20);
      expect(await searchKnowledge({ db: db.db, embedder: openai }, 'hub set-up button')).not.toHaveLength(0);
    } finally {
      await db.destroy();
    }
  });
});
