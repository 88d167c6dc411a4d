import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/cli/seed.ts';
import { loadConfig } from '../src/config.ts';
import { customerProducts, customers, documents, orders, products } from '../src/db/schema/index.ts';
import { LocalEmbedder } from '../src/knowledge/embed/index.ts';
import { searchKnowledge } from '../src/knowledge/search.ts';
import { listDocuments } from '../src/knowledge/versions.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

describe('the demo company', () => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const { ingest } = await seedDemo({ config: loadConfig({}, {}), database, embedder });
    expect(ingest.failed).toBe(0);
  });
  afterAll(() => database?.destroy());

  it('loads 25+ documents of every format, products, customers and orders', async () => {
    const docs = await listDocuments(database.db);
    expect(docs.length).toBeGreaterThanOrEqual(25);
    expect(new Set(docs.map((d) => d.format))).toEqual(new Set(['markdown', 'text', 'html', 'pdf', 'docx']));
    expect(new Set(docs.map((d) => d.kind))).toEqual(
      new Set(['guide', 'troubleshooting', 'policy', 'faq', 'release-note']),
    );
    const n = async (
      table: typeof products | typeof customers | typeof orders | typeof customerProducts | typeof documents,
    ) => (await database.db.select({ n: count() }).from(table))[0]!.n;
    expect(await n(products)).toBeGreaterThanOrEqual(14);
    expect(await n(customers)).toBeGreaterThanOrEqual(12);
    expect(await n(orders)).toBeGreaterThanOrEqual(30);
    expect(await n(customerProducts)).toBeGreaterThan(0);
    expect(await n(documents)).toBe(docs.length);
  });

  it.each([
    ['how do I make a warranty claim', 'limited-warranty.pdf'],
    ['how long is the warranty', 'general-faq.md'],
    ['can I return an item after 30 days', 'returns-and-refunds.docx'],
    ['my earbuds will not pair with my phone', 'bluetooth-pairing-problems.md'],
    ['the hub is offline and the light is red', 'perch-hub-offline.md'],
  ])('answers "%s" from %s', async (question, file) => {
    const hits = await searchKnowledge({ db: database.db, embedder }, question, { limit: 5 });
    expect(hits.map((h) => path.basename(h.source))).toContain(file);
  });

  it('seeding again changes nothing', async () => {
    const { ingest, imports } = await seedDemo({ config: loadConfig({}, {}), database, embedder });
    expect(ingest.results.every((r) => r.status === 'unchanged')).toBe(true);
    expect(imports.every((r) => r.inserted === 0)).toBe(true);
  });
});
