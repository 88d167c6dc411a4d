import crypto from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { chunks, documents, documentVersions, documentVersionTexts } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ensureEmbeddingSpace } from './embedding-space.ts';
import {
  makeVersionCurrent,
  type PreparedChunk,
  retireDocument,
  type StoreInput,
  storeVersion,
} from './store.ts';
import { versionText } from './version-text.ts';

const embedder = new LocalEmbedder();

/** A stored-ready document of `n` chunks, the text of each naming its edition. */
async function longDocument(
  n: number,
  edition: string,
): Promise<StoreInput & { text: string; prepared: PreparedChunk[] }> {
  const texts = Array.from(
    { length: n },
    (_, i) => `Section ${i} of the ${edition} manual for the Aero Buds.`,
  );
  const vectors = await embedder.embed(texts);
  const prepared = texts.map((text, i): PreparedChunk => ({
    ordinal: i,
    headingPath: [`Section ${i}`],
    heading: `Section ${i}`,
    text,
    tokenCount: 12,
    embedding: vectors[i]!,
  }));
  return {
    ref: { uri: 'upload://manual.txt', kind: 'upload' },
    hash: crypto.createHash('sha256').update(edition).digest('hex'),
    doc: { title: 'Aero Buds manual', format: 'text', metadata: {} },
    text: texts.join('\n'),
    prepared,
    embeddingModel: embedder.model,
    kind: undefined,
    product: undefined,
  };
}

/** Runs `work`, counting the event-loop turns (immediates) that ran meanwhile. */
async function countingTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let storing = true;
  const countTurns = () => {
    if (!storing) return;
    turns++;
    setImmediate(countTurns);
  };
  setImmediate(countTurns);
  try {
    return { result: await work(), turns };
  } finally {
    storing = false;
  }
}

describe.each(backends)('storing a large version on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await ensureEmbeddingSpace(database.db, embedder);
  });
  afterAll(() => database?.destroy());

  const currentChunks = async () =>
    (
      await database.db
        .select({ n: count() })
        .from(chunks)
        .innerJoin(documents, eq(documents.id, chunks.documentId))
        .where(and(eq(documents.source, 'upload://manual.txt'), eq(chunks.isCurrent, true)))
    )[0]!.n;

  it('lets the event loop run between chunk batches while it stores a few hundred chunks', async () => {
    const input = await longDocument(200, 'first');
    // The embedded database settles its queries as microtasks: without yields no I/O would be served (and no
    // immediate would run) until the whole version was stored.
    const { result, turns } = await countingTurns(() => storeVersion(database.db, input));
    expect(result).toMatchObject({ status: 'created', chunks: 200 });
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(await currentChunks()).toBe(200);
  });

  it('never shows a half-stored version to readers while it yields', async () => {
    const input = await longDocument(250, 'second');
    const seen: number[] = [];
    let storing = true;
    const read = async () => {
      while (storing) {
        seen.push(await currentChunks());
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const reader = read();
    const result = await storeVersion(database.db, input);
    storing = false;
    await reader;
    expect(result).toMatchObject({ status: 'updated', version: 2, chunks: 250 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === 200 || n === 250)).toBe(true);
    expect(await currentChunks()).toBe(250);
  });

  it('leaves nothing behind when a late batch fails', async () => {
    const input = await longDocument(200, 'third');
    // A vector of the wrong length is refused when its batch is stored, long after the first batches went in.
    input.prepared[190]!.embedding = [0.5, 0.5];
    // A text of many parts, all written before the chunks: they must go too.
    input.text += 'Long appendix. '.repeat(50_000);
    const rows = async () =>
      Promise.all(
        [documentVersions, chunks, documentVersionTexts].map(
          async (table) => (await database.db.select({ n: count() }).from(table))[0]!.n,
        ),
      );
    const before = await rows();
    await expect(storeVersion(database.db, input)).rejects.toThrow();
    expect(await rows()).toEqual(before);
    expect(await currentChunks()).toBe(250);
  });

  it('stores a long text in parts, yielding between them, and reads it back exactly', async () => {
    const input = await longDocument(3, 'fourth');
    // About 3 MB (48 parts); the first part's last UTF-16 unit would be half of the 😀 after the a's.
    const text = `${'a'.repeat(65_535)}😀${'Wipe the case 😀 with a dry cloth. '.repeat(90_000)}𝄞 the end.`;
    input.text = text;
    const { result, turns } = await countingTurns(() => storeVersion(database.db, input));
    expect(result).toMatchObject({ status: 'updated', version: 3 });
    // Three chunks make no batches: the turns are the parts'.
    expect(turns).toBeGreaterThanOrEqual(20);
    const [version] = await database.db
      .select({ id: documentVersions.id })
      .from(documentVersions)
      .innerJoin(documents, eq(documents.id, documentVersions.documentId))
      .where(and(eq(documents.source, 'upload://manual.txt'), eq(documentVersions.version, 3)));
    expect(await versionText(database.db, version!.id)).toBe(text);
  });

  it('switches back to an earlier version in batches, readers seeing one version or the other', async () => {
    const [document] = await database.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.source, 'upload://manual.txt'));
    const [second] = await database.db
      .select({ id: documentVersions.id })
      .from(documentVersions)
      .where(and(eq(documentVersions.documentId, document!.id), eq(documentVersions.version, 2)));
    const seen: number[] = [];
    let switching = true;
    const read = async () => {
      while (switching) {
        seen.push(await currentChunks());
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const reader = read();
    // 250 chunks to make current, 3 to take out of search: one statement for either would run on the embedded
    // database's thread without a break.
    const { turns } = await countingTurns(() => makeVersionCurrent(database.db, document!.id, second!.id));
    switching = false;
    await reader;
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(seen.every((n) => n === 3 || n === 250)).toBe(true);
    expect(await currentChunks()).toBe(250);
  });

  it('retires a document whose current chunks take more than one batch to clear', async () => {
    const [document] = await database.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.source, 'upload://manual.txt'));
    await retireDocument(database.db, document!.id);
    expect(await currentChunks()).toBe(0);
    const [{ n }] = (await database.db
      .select({ n: count() })
      .from(chunks)
      .where(eq(chunks.documentId, document!.id))) as [{ n: number }];
    expect(n).toBeGreaterThan(450);
  });
});
