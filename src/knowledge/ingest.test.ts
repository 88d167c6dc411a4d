import fs from 'node:fs';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { type Embedder, LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { searchKnowledge } from './search.ts';
import { diffVersions, listDocuments, listVersions, rollbackDocument } from './versions.ts';

const pairing = `# Pairing the Aero Buds

## Before you start

Charge the case for ten minutes before the first pairing. Make sure Bluetooth is switched on in your phone's
settings, that the buds sit in the case, and that no other phone nearby is still connected to them from before.

## Pairing steps

1. Open the case lid.
2. Hold the button on the case for three seconds until the light flashes white.
3. Choose "Aero Buds" in your phone's Bluetooth menu.
`;

const returns = `# Returns policy

You can return any product within 30 days of delivery for a full refund.
Items must be in their original packaging.

## Refund timing

Refunds reach your card within 5 business days after we receive the return.
`;

describe.each(backends)('ingestion on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  let root: string;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    root = writeTree({ '03-guides/pairing.md': pairing, 'policies/returns.md': returns });
  });
  afterAll(() => database?.destroy());

  const deps = () => ({ db: database.db, embedder });
  const countRows = async () => ({
    documents: (await database.db.select({ n: count() }).from(documents))[0]!.n,
    versions: (await database.db.select({ n: count() }).from(documentVersions))[0]!.n,
    chunks: (await database.db.select({ n: count() }).from(chunks))[0]!.n,
  });

  it('ingests a folder: documents, versions, chunks with heading paths, types from folders (numeric prefixes and plurals dropped)', async () => {
    const report = await ingestInputs(deps(), [root], testIngestSettings);
    expect(report.failed).toBe(0);
    expect(report.results.map((r) => r.status)).toEqual(['created', 'created']);
    const docs = await listDocuments(database.db);
    expect(docs.map((d) => [d.title, d.kind, d.currentVersion]).sort()).toEqual([
      ['Pairing the Aero Buds', 'guide', 1],
      ['Returns policy', 'policy', 1],
    ]);
    const stored = await database.db.select().from(chunks);
    expect(stored.every((c) => c.isCurrent)).toBe(true);
    expect(stored.map((c) => c.heading)).toContain('Pairing steps');
  });

  it('does no work for an unchanged source', async () => {
    const before = await countRows();
    const report = await ingestInputs(deps(), [root], testIngestSettings);
    expect(report.results.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(await countRows()).toEqual(before);
  });

  it('turns a changed source into a new current version, and search sees only it', async () => {
    const file = path.join(root, 'policies/returns.md');
    fs.writeFileSync(file, returns.replace('30 days', '45 days'));
    const report = await ingestInputs(deps(), [file], testIngestSettings);
    expect(report.results[0]).toMatchObject({ status: 'updated', version: 2 });
    const hits = await searchKnowledge(deps(), 'how many days to return a product', { limit: 10 });
    const texts = hits.map((h) => h.text).join('\n');
    expect(texts).toContain('45 days');
    expect(texts).not.toContain('30 days');
    const { versions } = await listVersions(database.db, file);
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const diff = await diffVersions(database.db, 'returns.md', 1, 2);
    expect(diff).toContain('-You can return any product within 30 days');
    expect(diff).toContain('+You can return any product within 45 days');
  });

  it('rolls back to an earlier version without re-embedding', async () => {
    await rollbackDocument(database.db, 'returns.md', 1);
    const hits = await searchKnowledge(deps(), 'how many days to return a product', { limit: 10 });
    expect(hits.map((h) => h.text).join('\n')).toContain('30 days');
    expect(hits.map((h) => h.text).join('\n')).not.toContain('45 days');
    // Re-ingesting the file (still at 45 days) brings back version 2 rather than making a third.
    const report = await ingestInputs(deps(), [path.join(root, 'policies/returns.md')], testIngestSettings);
    expect(report.results[0]).toMatchObject({ status: 'restored', version: 2 });
  });

  it('retires documents gone from a folder with --prune, and search forgets them', async () => {
    fs.rmSync(path.join(root, '03-guides/pairing.md'));
    const report = await ingestInputs(deps(), [root], testIngestSettings, { prune: true });
    expect(report.results.find((r) => r.status === 'retired')?.source).toBe(
      path.join(root, '03-guides/pairing.md'),
    );
    const hits = await searchKnowledge(deps(), 'pair the earbuds bluetooth', { limit: 10 });
    expect(hits.some((h) => h.source.endsWith('pairing.md'))).toBe(false);
    expect(
      (await listDocuments(database.db, { includeRetired: true })).find((d) => d.status === 'retired'),
    ).toBeTruthy();
  });

  it('stores nothing for a source whose embedding fails midway, and keeps going', async () => {
    const before = await countRows();
    const failing: Embedder = {
      model: embedder.model,
      dimensions: embedder.dimensions,
      embed: async () => {
        throw new Error('embedding service went away');
      },
    };
    const dir = writeTree({ 'a.md': '# A\n\nSome text about alpha.' });
    const report = await ingestInputs({ db: database.db, embedder: failing }, [dir], testIngestSettings);
    expect(report.failed).toBe(1);
    expect(report.results[0]!.error?.message).toContain('embedding service went away');
    expect(await countRows()).toEqual(before);
  });

  it('rolls back the whole version when a chunk fails to store inside the transaction', async () => {
    const before = await countRows();
    // The last vector has the wrong length, so the store refuses its batch after the document, the version
    // and the other chunks were written in the same transaction.
    const faulty: Embedder = {
      model: embedder.model,
      dimensions: embedder.dimensions,
      embed: async (texts) => {
        const vectors = await embedder.embed(texts);
        vectors[vectors.length - 1] = vectors.at(-1)!.slice(0, 3);
        return vectors;
      },
    };
    const long = Array.from(
      { length: 6 },
      (_, i) => `## Part ${i}\n\n${'Words about the hub and its lights. '.repeat(20)}`,
    );
    const dir = writeTree({ 'manual.md': `# Hub manual\n\n${long.join('\n\n')}` });
    const report = await ingestInputs({ db: database.db, embedder: faulty }, [dir], testIngestSettings);
    expect(report.failed).toBe(1);
    expect(await countRows()).toEqual(before);
  });

  it('refuses to mix embedding spaces', async () => {
    const other: Embedder = {
      model: 'other:model',
      dimensions: 8,
      embed: async (t) => t.map(() => Array(8).fill(0.1)),
    };
    const dir = writeTree({ 'b.md': '# B\n\nBeta.' });
    await expect(
      ingestInputs({ db: database.db, embedder: other }, [dir], testIngestSettings),
    ).rejects.toThrow(/parley reindex/);
    await expect(searchKnowledge({ db: database.db, embedder: other }, 'beta')).rejects.toThrow(
      /parley reindex/,
    );
    expect(
      await database.db
        .select()
        .from(documents)
        .where(eq(documents.source, path.join(dir, 'b.md'))),
    ).toEqual([]);
  });
});
