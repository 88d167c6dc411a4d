import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder } from './embed/index.ts';
import { dropVectorIndex, ensureEmbeddingSpace, vectorIndexExists } from './embedding-space.ts';
import { ingestInputs } from './ingest.ts';
import { searchKnowledge } from './search.ts';

describe.each(backends)('bulk loads (%s)', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database.destroy());

  it('build the vector index once at the end, and an interrupted build is redone on the next run', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 210 }, (_, i) => [
        `notes/note-${i}.md`,
        `# Note ${i}\n\nThe serial code of widget ${i} is W${i}X. Keep it for warranty claims.`,
      ]),
    );
    const deps = { db: database.db, embedder };
    const report = await ingestInputs(deps, [writeTree(files)], testIngestSettings);
    expect(report.failed).toBe(0);
    expect(await vectorIndexExists(database.db)).toBe(true);
    const [hit] = await searchKnowledge(deps, 'serial code of widget 117', { limit: 1 });
    expect(hit!.title).toBe('Note 117');

    // A load stopped before its end leaves no index; the next ingestion (or worker job) restores it.
    await dropVectorIndex(database.db);
    await ensureEmbeddingSpace(database.db, embedder);
    expect(await vectorIndexExists(database.db)).toBe(true);
  });
});
