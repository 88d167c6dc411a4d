import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { conversations, messages } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { weighConcepts } from './concept-weights.ts';
import { judgeRelevance, queryExpansions } from './relevance-gate.ts';
import { searchKnowledge } from './search.ts';
import { forgetLessons } from './synonyms/learned.ts';
import { saveSynonyms } from './synonyms/store.ts';
import { standardVocabulary } from './synonyms/vocabulary.ts';

const docs = {
  'policies/returns.md': `# Returns and refunds

## Returning a product

You can return any product within 30 days of delivery for a full refund. Print the free return label from
your order page and drop the parcel at any post office.

## Refunds

Refunds reach your card within 5 business days after the return arrives at our warehouse.
`,
  'policies/shipping.md': `# Shipping

We deliver to the United States, Canada and the United Kingdom. We do not ship elsewhere yet.
Standard delivery takes 3 to 5 business days.
`,
  'guides/buds.md': `# Aero Buds guide

## Pairing

Open the case, hold the button for three seconds until the light flashes white, then choose Aero Buds in your
phone's Bluetooth list.

## Warranty

Aero Buds carry a two-year limited warranty against manufacturing defects.
`,
  'guides/hub.md': `# Home Hub guide

## Wi-Fi

Plug in the hub and join your 2.4 GHz Wi-Fi network in the Kestrel app. The ring turns solid blue once online.
`,
};

describe('the relevance judgement', () => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const deps = () => ({ db: database.db, embedder });
  const judge = async (question: string) => {
    const expansions = await queryExpansions(database.db, question);
    const hits = await searchKnowledge(deps(), question, { limit: 8, expansions });
    return judgeRelevance(deps(), question, hits, 0.5);
  };
  const files = (j: Awaited<ReturnType<typeof judge>>) => j.passages.map((p) => path.basename(p.hit.source));

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await ingestInputs(deps(), [writeTree(docs)], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it.each([
    ['how do I get my money back?', 'returns.md'],
    ['how long is the guarantee on the buds?', 'buds.md'],
    ['how do I connect my buds to my phone?', 'buds.md'],
    ['Do you ship to Australia?', 'shipping.md'],
  ])('keeps the passage that answers a paraphrase: "%s"', async (question, file) => {
    const j = await judge(question);
    expect(j.declined).toBeUndefined();
    expect(files(j)[0]).toBe(file);
  });

  it.each(['Do you sell refrigerators?', "What's the capital of France?", 'How do I boil an egg?'])(
    'declines what the documents do not cover: "%s"',
    async (question) => {
      const j = await judge(question);
      expect(j.passages).toEqual([]);
      expect(j.declined).toBeDefined();
    },
  );

  it('declines a question whose most specific word the knowledge base lacks', async () => {
    // "return" alone is covered well; the sprocket is what the question is about.
    const j = await judge('can I return my sprocket?');
    expect(j.passages).toEqual([]);
    expect(j.declined).toBeDefined();
  });

  it("bridges the staff's own synonyms", async () => {
    expect((await judge('what is the blue halo?')).passages).toEqual([]);
    await saveSynonyms(database.db, [['blue halo', 'ring turns solid blue']]);
    expect(files(await judge('what is the blue halo?'))).toContain('hub.md');
  });

  it('takes lessons from resolved conversations as evidence', async () => {
    const question = 'my sprockets keep wobbling';
    expect((await judge(question)).passages).toEqual([]);
    const hits = await searchKnowledge(deps(), 'hub wifi ring blue', { limit: 1 });
    const hub = hits[0]!;
    const [conversation] = await database.db
      .insert(conversations)
      .values({ visitorId: 'v-lesson', status: 'resolved' })
      .returning();
    await database.db.insert(messages).values([
      { conversationId: conversation!.id, role: 'user', content: `${question} hub` },
      {
        conversationId: conversation!.id,
        role: 'assistant',
        content: 'Join your Wi-Fi network [S1].',
        citations: [
          {
            source: hub.source,
            documentId: hub.documentId,
            versionId: hub.versionId,
            chunkId: hub.chunkId,
            heading: hub.heading,
          },
        ],
      },
    ]);
    // Marking a conversation resolved is what clears the cache in a running server.
    forgetLessons(database.db);
    const j = await judgeRelevance(deps(), `${question} hub`, [hub], 0.5);
    expect(j.passages.map((p) => p.hit.chunkId)).toEqual([hub.chunkId]);
    // The lesson also brings its passage in when the search does not find it.
    const others = await searchKnowledge(deps(), 'money back refund', { limit: 2 });
    expect(others.map((h) => h.chunkId)).not.toContain(hub.chunkId);
    const pulled = await judgeRelevance(deps(), question, others, 0.5);
    expect(pulled.passages.map((p) => p.hit.chunkId)).toContain(hub.chunkId);
  });

  it('declines a compound noun the passages only use apart', async () => {
    const passage = (text: string) => ({
      source: 'network.md',
      documentId: '00000000-0000-4000-8000-000000000001',
      versionId: '00000000-0000-4000-8000-000000000002',
      chunkId: '00000000-0000-4000-8000-000000000003',
      title: 'Hub network',
      heading: 'Delivery of updates',
      score: 1,
      text,
    });
    const question = 'problem with my delivery address';
    // "Continuous delivery" and "IP address" hold both words, never a delivery address.
    const apart = passage(
      'Firmware arrives by continuous delivery. The app shows the IP address of the hub.',
    );
    expect((await judgeRelevance(deps(), question, [apart], 0.5)).declined).toBe('split-compound');
    const together = passage('Change the delivery address of an order from the order page before it ships.');
    expect((await judgeRelevance(deps(), question, [together], 0.5)).declined).toBeUndefined();
  });
});

// Refunds come up in three documents, so "refund" is a word of the vocabulary misspellings are read against;
// "product" in half the documents is common, "engrave" in one is rare.
const wordingDocs = {
  'returns.md': docs['policies/returns.md'],
  'buds.md': docs['guides/buds.md'],
  'gifts.md': '# Gift refunds\n\nA refund for a gift goes to the gift card of the person who received it.\n',
  'eu.md': '# Refunds in the EU\n\nCustomers in the EU get a refund within 14 days of cancelling.\n',
  'engraving.md': '# Engraving\n\nWe engrave up to twenty letters on request, free of charge.\n',
  'product-care.md': '# Product care\n\nWipe the product with a dry cloth. We send care tips by email.\n',
  'product-colours.md': '# Product colours\n\nEach product comes in black or white. We send samples.\n',
  'product-sizes.md': '# Product sizes\n\nEvery product comes in one size.\n',
  'product-boxes.md': '# Product boxes\n\nThe product ships in a recycled box.\n',
  'opening-hours.md': '# Opening hours\n\nThe shop opens at nine and closes at five. Send us a note.\n',
};

describe.each(backends)('the relevance judgement of wordings on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const deps = () => ({ db: database.db, embedder });
  const judge = async (question: string) => {
    const expansions = await queryExpansions(database.db, question);
    const hits = await searchKnowledge(deps(), question, { limit: 8, expansions });
    return judgeRelevance(deps(), question, hits, 0.5);
  };
  const files = (j: Awaited<ReturnType<typeof judge>>) => j.passages.map((p) => path.basename(p.hit.source));

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ingestInputs(deps(), [writeTree(wordingDocs)], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it('reads a misspelt word as the word the documents use, for search and relevance', async () => {
    expect(await queryExpansions(database.db, 'how long does a refnud take?')).toContainEqual({
      text: 'refund',
      weight: 0.9,
    });
    const j = await judge('Whatar is pairing?');
    expect(j.declined).toBeUndefined();
    expect(files(j)[0]).toBe('buds.md');
  });

  it('does not hold the generic words of a request against a passage that lacks them', async () => {
    const j = await judge('Is it possible to explain the differences and advantages of pairing?');
    expect(j.declined).toBeUndefined();
    expect(files(j)[0]).toBe('buds.md');
  });

  it('reads words Postgres ignores as naming nothing', async () => {
    // "those" is no second subject the passage would have to cover.
    const concepts = await weighConcepts(database.db, standardVocabulary().concepts('Are those refunds?'));
    expect(concepts.map((c) => c.text)).toEqual(['refunds']);
    expect((await judge('Are those refunds?')).declined).toBeUndefined();
  });

  it('keeps beside the best passage one that covers half of the question', async () => {
    const passage = (heading: string, text: string, n: number) => ({
      source: `${heading}.md`,
      documentId: `00000000-0000-4000-8000-00000000001${n}`,
      versionId: '00000000-0000-4000-8000-000000000019',
      chunkId: `00000000-0000-4000-8000-00000000002${n}`,
      title: heading,
      heading,
      score: 1,
      text,
    });
    // The retriever may rank the half-covering passage first: the answer must be able to cite it.
    const half = passage('Hub', 'The hub carries a warranty.', 1);
    const whole = passage('Coverage', 'The buds and the hub carry a warranty in Canada.', 2);
    const j = await judgeRelevance(deps(), 'warranty on the buds and the hub in Canada', [half, whole], 0.3);
    expect(j.passages.map((p) => p.hit.heading)).toEqual(['Coverage', 'Hub']);
    expect(j.passages[1]!.relevance).toBeLessThan(0.6);
  });

  it('answers from a passage covering the whole question when the leading one has its compound apart', async () => {
    const passage = (heading: string, text: string, n: number) => ({
      source: 'gifts.md',
      documentId: '00000000-0000-4000-8000-000000000001',
      versionId: '00000000-0000-4000-8000-000000000002',
      chunkId: `00000000-0000-4000-8000-00000000000${n}`,
      title: 'Gifts',
      heading,
      score: 1,
      text,
    });
    // The first has "refund" and "card" only apart; the second covers the whole question.
    const apart = passage('Payments', 'We refund to the card you paid with in the EU.', 1);
    const whole = passage('Products', 'A refund card is issued for a product bought in the EU.', 2);
    const question = 'refund card for a product in the EU';
    const alone = await judgeRelevance(deps(), question, [apart], 0.5);
    const j = await judgeRelevance(deps(), question, [apart, whole], 0.5);
    expect(alone.declined).toBe('split-compound');
    expect(j.declined).toBeUndefined();
    expect(j.passages[0]!.hit.heading).toBe('Products');
  });

  it('declines a passage that shares only a verb with a question that names its subject', async () => {
    const j = await judge('Can you engrave my product?');
    expect(j.declined).toBe('no-coverage');
  });
});
