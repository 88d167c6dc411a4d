import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings } from '../../test/support/files.ts';
import { chunks, documents } from '../db/schema/index.ts';
import { LocalEmbedder, unpackVector } from './embed/local.ts';
import { defaultExtractionLimits } from './extract/index.ts';
import { ingestUploads } from './ingest.ts';
import { packedChunkCount, unpackChunks, unpackTexts } from './packed-chunks.ts';
import { contextualText } from './prepare.ts';
import { prepareOffThread } from './prepare-pool.ts';

const manual = `# Aero Buds manual

## Pairing

Open the case lid and hold the button for three seconds until the light flashes white. Choose "Aero Buds" in
your phone's Bluetooth menu.

## Charging

Charge the case for ten minutes before the first pairing. A full charge takes 90 minutes; the light turns green.

## Résumé et garantie

Les écouteurs sont garantis deux ans. Ünïcödé, emoji 🎧 and CJK 耳机 text embed like any other words.
`;

const raw = () => ({ name: 'manual.md', bytes: new TextEncoder().encode(manual) });
const options = { chunk: { maxTokens: 40, overlapTokens: 5 }, limits: defaultExtractionLimits };

describe('the local embedder in the preparation thread', () => {
  it('packs vectors that unpack to exactly what embedOne computes', () => {
    const embedder = new LocalEmbedder(64);
    const texts = ['', 'the', 'Pairing the Aero Buds', manual, 'x'.repeat(5000), 'Ünïcödé 🎧 耳机'];
    const packed = embedder.embedPacked(texts);
    expect(packed.length).toBe(texts.length * 64);
    texts.forEach((text, i) => {
      expect(unpackVector(packed.subarray(i * 64, (i + 1) * 64))).toEqual(embedder.embedOne(text));
    });
  });

  it("hands back each chunk's vector of its contextual text, as the main thread computes it", async () => {
    const embedder = new LocalEmbedder();
    const { doc, chunks, embeddings } = await prepareOffThread(raw(), {
      ...options,
      localEmbedding: { dimensions: embedder.dimensions },
    });
    const pieces = unpackChunks(chunks, 0, packedChunkCount(chunks));
    expect(pieces.length).toBeGreaterThan(2);
    expect(embeddings).toBeInstanceOf(Float32Array);
    expect(embeddings!.length).toBe(pieces.length * embedder.dimensions);
    const expected = await embedder.embed(
      pieces.map((c) => contextualText(doc.title, c.headingPath, c.text)),
    );
    const d = embedder.dimensions;
    expect(pieces.map((_, i) => unpackVector(embeddings!.subarray(i * d, (i + 1) * d)))).toEqual(expected);
  });

  it('hands the text and chunks over in buffers: no string of the document crosses but its header', async () => {
    const prepared = await prepareOffThread(raw(), options);
    const strings: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
        Object.values(value).forEach(collect);
      }
    };
    collect({ ...prepared, doc: undefined });
    expect(strings).toEqual([]);
    expect(prepared.doc).toEqual({ title: 'Aero Buds manual', format: 'markdown', metadata: {} });
    expect([...unpackTexts(prepared.text)].join('')).toContain('Les écouteurs sont garantis deux ans.');
    expect(unpackChunks(prepared.chunks, 0, 1)[0]).toMatchObject({ ordinal: 0, headingPath: ['Pairing'] });
  });

  it('takes over bytes that are a buffer of their own, and copies a view into a larger one', async () => {
    const own = raw();
    await prepareOffThread(own, options);
    // Handed over to the thread, not copied on this one.
    expect(own.bytes.byteLength).toBe(0);
    const shared = new TextEncoder().encode(manual);
    const larger = new Uint8Array(shared.length + 8);
    larger.set(shared, 8);
    const view = { name: 'manual.md', bytes: larger.subarray(8) };
    const prepared = await prepareOffThread(view, options);
    expect(view.bytes.byteLength).toBe(shared.length);
    expect(prepared.doc.title).toBe('Aero Buds manual');
  });

  it('embeds nothing unless asked (a model embedder runs on the main thread)', async () => {
    const prepared = await prepareOffThread(raw(), options);
    expect(prepared.embeddings).toBeUndefined();
  });
});

describe.each(backends)('an upload embedded in the preparation thread, on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('stores the vectors the main thread would have computed', async () => {
    const embedder = new LocalEmbedder();
    const [result] = await ingestUploads({ db: database.db, embedder }, [raw()], {
      ...testIngestSettings,
      chunk: options.chunk,
    });
    expect(result!.status).toBe('created');
    const stored = await database.db
      .select({ headingPath: chunks.headingPath, text: chunks.text, embedding: chunks.embedding })
      .from(chunks)
      .innerJoin(documents, eq(documents.id, chunks.documentId))
      .orderBy(chunks.ordinal);
    expect(stored.length).toBe(result!.chunks);
    const expected = await embedder.embed(
      stored.map((c) => contextualText('Aero Buds manual', c.headingPath, c.text)),
    );
    expect(stored.map((c) => c.embedding)).toEqual(expected);
  });
});
