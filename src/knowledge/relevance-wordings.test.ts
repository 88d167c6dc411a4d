import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { judgeRelevance, queryExpansions } from './relevance-gate.ts';
import { searchKnowledge, type SearchHit } from './search.ts';

// Sixty short notes make the knowledge base large enough for a word in one chunk to be rare ("acetone"),
// while "chemicals", "shelf" and "paint" come up in several notes.
const notes = Object.fromEntries(
  Array.from({ length: 60 }, (_, i) => [
    `notes/note-${i}.md`,
    `# Shop note ${i}\n\n${i % 20 === 0 ? 'Harsh chemicals can damage the shelf paint.' : `The shop opens at nine on day ${i}.`}\n`,
  ]),
);
const docs = {
  ...notes,
  'guides/care.md': `# Care guide

Wipe the case with a dry cloth. Keep chemicals such as acetone away from it.
`,
  'guides/chat.md': `# Chat history

Chat logs are retained for 30 days, then deleted for good.
`,
  'policies/plans.md': `# Plans

The free plan is meant for trying the hub out before you subscribe to a paid plan.
`,
  'policies/returns.md': `# Returns

Print the return label from your order page and drop the parcel at any post office.
`,
};

describe.each(backends)('the relevance judgement of other wordings on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const deps = () => ({ db: database.db, embedder });
  const judge = async (question: string) => {
    const expansions = await queryExpansions(database.db, question);
    const hits = await searchKnowledge(deps(), question, { limit: 8, expansions });
    return judgeRelevance(deps(), question, hits, 0.5);
  };
  const lead = (j: Awaited<ReturnType<typeof judge>>) => path.basename(j.passages[0]?.hit.source ?? '');

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ingestInputs(deps(), [writeTree(docs)], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it('reads a word in another part of speech as the same word, for search and relevance', async () => {
    // "retention" and "retained" share too short a beginning to be read as forms of one word.
    expect(await queryExpansions(database.db, 'What is the retention of chat logs?')).toContainEqual(
      expect.objectContaining({ text: 'retain' }),
    );
    const j = await judge('What is the retention of chat logs?');
    expect(j.declined).toBeUndefined();
    expect(lead(j)).toBe('chat.md');
  });

  it('does not take a verb the knowledge base lacks for the subject of the question', async () => {
    const j = await judge('Should I stick to the free plan for now?');
    expect(j.declined).toBeUndefined();
    expect(lead(j)).toBe('plans.md');
    // A noun the knowledge base lacks still is another subject.
    expect((await judge('Do you sell refrigerators on a free plan?')).passages).toEqual([]);
  });

  it('answers from a section that is one of the few holding the rarest word of the question', async () => {
    // No heading names the question's words, yet "acetone" is in one chunk of many: not a word in passing.
    const j = await judge('Which chemicals like acetone damage the case or the shelf paint?');
    expect(j.declined).toBeUndefined();
    expect(lead(j)).toBe('care.md');
  });

  it('answers the part of a question the documentation covers', async () => {
    const j = await judge(
      'How do tariffs evolve over the years, and which post office takes the return parcel?',
    );
    expect(j.declined).toBeUndefined();
    expect(lead(j)).toBe('returns.md');
    // The rest of a question that is only the request names no part of its own.
    expect((await judge('I would like to see the tariffs, can you help me?')).passages).toEqual([]);
  });
});

describe('the split-compound judgement', () => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const passage = (text: string): SearchHit => ({
    source: 'hub.md',
    documentId: '00000000-0000-4000-8000-000000000001',
    versionId: '00000000-0000-4000-8000-000000000002',
    chunkId: '00000000-0000-4000-8000-000000000003',
    title: 'Hub guide',
    heading: 'Status light',
    score: 1,
    text,
  });

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database?.destroy());

  it('finds a compound ending a longer name where the passage has the name', async () => {
    // "low battery warnings" are warnings of a low battery: the passage names "low battery" side by side.
    const j = await judgeRelevance(
      { db: database.db, embedder },
      'Can you clarify what you mean by low battery warnings?',
      [passage('Low battery: the ring blinks red. Other warnings appear in the app.')],
      0.5,
    );
    expect(j.declined).toBeUndefined();
  });
});
