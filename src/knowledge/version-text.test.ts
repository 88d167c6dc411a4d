import fs from 'node:fs';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { chunks } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { findPassage } from './passages.ts';
import { textParts } from './text-parts.ts';
import { versionText } from './version-text.ts';
import { diffVersions, listVersions } from './versions.ts';

/** No lone surrogate (in a `u` regular expression a pair is one character, a lone half matches `\p{Cs}`). */
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);

describe('textParts', () => {
  it('cuts at the size, except where that would split a surrogate pair', () => {
    expect(textParts('', 4)).toEqual([]);
    expect(textParts('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    // 'abc😀' is five UTF-16 units: a cut after four would leave a lone high surrogate.
    expect(textParts('abc😀de', 4)).toEqual(['abc', '😀de']);
    expect(textParts('😀😀😀', 3)).toEqual(['😀', '😀', '😀']);
    const text = 'x😀'.repeat(1000);
    for (const size of [2, 3, 7, 64, 1000]) {
      const parts = textParts(text, size);
      expect(parts.join('')).toBe(text);
      expect(parts.every((p) => p.length <= size && wellFormed(p))).toBe(true);
    }
  });
});

describe.each(backends)('reading a text of several parts on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  let file: string;
  // About 190,000 UTF-16 units: three parts, astral characters throughout.
  const section = (i: number) =>
    `## Cleaning step ${i}\n\nWipe the 😀 case ${i} with a dry cloth and let it dry for an hour before charging.\n`;
  const manual = `# Cleaning the Aero Buds 𝄞\n\n${Array.from({ length: 2000 }, (_, i) => section(i)).join('\n')}`;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    file = path.join(writeTree({ 'cleaning.md': manual }), 'cleaning.md');
    await ingestInputs({ db: database.db, embedder }, [file], testIngestSettings);
    fs.writeFileSync(file, manual.replace('case 1999 with a dry cloth', 'case 1999 with a damp cloth'));
    await ingestInputs({ db: database.db, embedder }, [file], testIngestSettings);
  });
  afterAll(() => database?.destroy());

  it('diffs two versions across their parts', async () => {
    const { versions } = await listVersions(database.db, file);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    const diff = await diffVersions(database.db, 'cleaning.md', 1, 2);
    expect(diff).toContain('-Wipe the 😀 case 1999 with a dry cloth');
    expect(diff).toContain('+Wipe the 😀 case 1999 with a damp cloth');
    expect(diff.match(/^[-+]Wipe/gm)).toHaveLength(2);
  });

  it('shows a passage of a long document among its neighbours, not the megabytes around it', async () => {
    const [chunk] = await database.db
      .select({ id: chunks.id, text: chunks.text, versionId: chunks.versionId })
      .from(chunks)
      .where(eq(chunks.isCurrent, true))
      .orderBy(desc(chunks.ordinal))
      .limit(1);
    const passage = await findPassage(database.db, chunk!.id);
    expect(passage).toMatchObject({ current: true, version: 2, context: { whole: false } });
    expect(passage!.context.text).toContain(chunk!.text);
    expect(passage!.context.text.length).toBeLessThan(20_000);
    expect(wellFormed(passage!.context.text)).toBe(true);
    // The whole text, every part of it, is still what the version holds.
    const whole = await versionText(database.db, chunk!.versionId);
    expect(whole.length).toBeGreaterThan(2 * 65_536);
    expect(wellFormed(whole)).toBe(true);
    expect(whole).toMatch(/^# Cleaning the Aero Buds 𝄞/);
    expect(whole).toContain('case 1999 with a damp cloth');
    expect(whole.match(/## Cleaning step \d+/g)).toHaveLength(2000);
  });
});
