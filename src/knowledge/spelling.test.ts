import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { correctSpelling, editDistance } from './spelling.ts';

// Each word the corrections land on is in at least three documents, as a word of the vocabulary must be.
const docs = {
  'returns.md': '# Returns\n\nAsk for a refund within 30 days. The refund reaches your card in 5 days.\n',
  'warranty.md':
    '# Warranty\n\nThe warranty covers defects. A refund replaces a repair the warranty cannot cover.\n',
  'shipping.md': '# Shipping\n\nLost parcels earn a refund. The warranty travels with the product.\n',
};

describe('editDistance', () => {
  it.each([
    ['refund', 'refund', 0],
    ['refnud', 'refund', 1],
    ['refund', 'refunds', 1],
    ['whatar', 'what', 2],
    ['warranty', 'garden', 3],
  ])('%s → %s: %i', (a, b, edits) => {
    expect(editDistance(a, b, 2)).toBe(edits);
  });
});

describe.each(backends)('spelling correction on %s', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ingestInputs(
      { db: database.db, embedder: new LocalEmbedder() },
      [writeTree(docs)],
      testIngestSettings,
    );
  });
  afterAll(() => database?.destroy());

  it('reads a word one edit from a word of the documents as that word', async () => {
    const spelling = await correctSpelling(database.db, 'How long does a refnud take?');
    expect(spelling.text).toBe('How long does a refund take?');
    expect(spelling.corrections).toEqual([{ from: 'refnud', to: 'refund' }]);
  });

  it('reads a longer word two edits from a stopword as the stopword', async () => {
    expect((await correctSpelling(database.db, 'Whatar is the warranty?')).text).toBe(
      'what is the warranty?',
    );
  });

  it('leaves English words the documents lack and words it cannot place alone', async () => {
    for (const question of ['Do you sell refrigerators?', 'Is the zqxjkv covered?', 'my refund is late']) {
      expect((await correctSpelling(database.db, question)).corrections).toEqual([]);
    }
  });
});
