import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { readQuestion } from './question-reading.ts';
import { judgeRelevance, queryExpansions } from './relevance-gate.ts';
import { searchKnowledge } from './search.ts';
import { correctSpelling, prepareSpelling } from './spelling.ts';
import { editDistance, typingSlip } from './spelling-edits.ts';

// Each word the corrections land on is in at least three documents, as a word of the vocabulary must be:
// "refund", "phone", "account" and "sip"; "ship" is in one only.
const docs = {
  'returns.md':
    '# Returns\n\nAsk for a refund within 30 days. It reaches your account in 5 days. Sip water.\n',
  'warranty.md':
    '# Warranty\n\nThe warranty covers defects. A refund replaces a repair the warranty cannot cover. Sip tea. See your account.\n',
  'cafe.md':
    '# Cafe\n\nLost cups earn a refund. Pay by phone while sipping. We ship beans. Call from your phone.\n',
  'app.md': '# App\n\nThe phone app shows the orders of your account. Close your account at any time.\n',
};

describe('editDistance', () => {
  it.each([
    ['refund', 'refund', 0],
    ['refnud', 'refund', 1],
    ['refund', 'refunds', 1],
    ['hsipping', 'shipping', 1],
    ['whatar', 'what', 2],
    ['warranty', 'garden', 3],
  ])('%s → %s: %i', (a, b, edits) => {
    expect(editDistance(a, b, 2)).toBe(edits);
  });
});

describe('typingSlip', () => {
  it.each([
    ['hsipping', 'shipping', true],
    ['acount', 'account', true],
    ['shippping', 'shipping', true],
    ['teack', 'track', true],
    ['hsipping', 'sipping', false],
    ['acount', 'amount', false],
    ['teack', 'teach', false],
  ])('%s from %s: %s', (typo, word, slip) => {
    expect(typingSlip(typo, word)).toBe(slip);
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

  it('reads a typo as a word of the documents, though English uses another as near more', async () => {
    // "amount" is one edit from "acount" too, and more common in English; these documents speak of accounts.
    expect((await correctSpelling(database.db, 'Where is my acount?')).text).toBe('Where is my account?');
  });

  it('reads swapped letters as the English word meant, not a word the documents have one stray key away', async () => {
    // "sipping" (three documents) is one edit away too, but only with an "h" typed before the "s".
    expect((await correctSpelling(database.db, 'How long does hsipping take?')).text).toBe(
      'How long does shipping take?',
    );
  });

  it('leaves words written as names alone', async () => {
    for (const question of [
      'Does it work with my iPhone?',
      'Is the Fhone 7 covered?',
      'Can I pay with Phnoe?',
    ]) {
      expect((await correctSpelling(database.db, question)).corrections).toEqual([]);
    }
    // The same word written as a plain word is a typo, also before an order number.
    expect((await correctSpelling(database.db, 'Phnoe support hours?')).text).toBe('phone support hours?');
    expect((await correctSpelling(database.db, 'refnud 00123842')).text).toBe('refund 00123842');
  });

  it('reads a question once for both the search and the judgement', async () => {
    const reading = await readQuestion(database.db, 'Can I get a refnud?');
    expect(reading.text).toBe('Can I get a refund?');
    expect(reading.corrections).toEqual([{ from: 'refnud', to: 'refund' }]);
    // Given the reading, neither reads the question again: what it was asked as no longer matters.
    expect(await queryExpansions(database.db, 'zzz', reading)).toContainEqual({
      text: 'refund',
      weight: 0.9,
    });
    const deps = { db: database.db, embedder: new LocalEmbedder() };
    const hits = await searchKnowledge(deps, reading.text, { limit: 4 });
    const judgement = await judgeRelevance(deps, 'zzz', hits, 0.5, reading);
    expect(judgement.declined).toBeUndefined();
    expect(judgement.passages.length).toBeGreaterThan(0);
  });
});

// More chunks than are read at once when the first question comes.
const fillerChunks = 2000;

describe.each(backends)('the spelling vocabulary of a large knowledge base on %s', (backend) => {
  let database: TestDatabase;
  const ingest = (files: Record<string, string>) =>
    ingestInputs({ db: database.db, embedder: new LocalEmbedder() }, [writeTree(files)], testIngestSettings);

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ingest(docs);
    const [version] = await queryRows<{ id: string; document_id: string }>(
      database.db,
      sql`SELECT id, document_id FROM document_versions LIMIT 1`,
    );
    // Filler chunks straight into the table: ingesting thousands of files would take minutes.
    await database.db.execute(sql`
      INSERT INTO chunks (version_id, document_id, ordinal, text, token_count, is_current, tsv, embedding)
      SELECT ${version!.id}, ${version!.document_id}, 1000 + n, 'filler', 1, true, to_tsvector('english', 'filler'),
        '[0,0,0]'
      FROM generate_series(1, ${fillerChunks}) AS n`);
  });
  afterAll(() => database?.destroy());

  it('answers the first question as asked while the vocabulary is read, then corrects', async () => {
    expect((await correctSpelling(database.db, 'How long does a refnud take?')).corrections).toEqual([]);
    await prepareSpelling(database.db);
    expect((await correctSpelling(database.db, 'How long does a refnud take?')).text).toBe(
      'How long does a refund take?',
    );
  });

  it('reads the vocabulary again once documents change', async () => {
    await prepareSpelling(database.db);
    expect((await correctSpelling(database.db, 'Is the kestrl covered?')).corrections).toEqual([]);
    await ingest({
      'kestrel-1.md': '# Kestrel\n\nThe kestrel hovers.\n',
      'kestrel-2.md': '# Kestrel hub\n\nA kestrel hub needs power.\n',
      'kestrel-3.md': '# Kestrel plug\n\nA kestrel plug switches lamps.\n',
    });
    await prepareSpelling(database.db);
    expect((await correctSpelling(database.db, 'Is the kestrl covered?')).text).toBe(
      'Is the kestrel covered?',
    );
  });
});
