import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';
import { searchKnowledge } from './search.ts';

const docs = {
  'guides/aero-buds-setup.md': `---
product: KE-BUDS
---
# Aero Buds setup

## Pairing with a phone

Open the charging case, hold the case button for three seconds until the light flashes white, then pick
"Aero Buds" in your phone's Bluetooth settings.

## Touch controls

Tap twice on either bud to play or pause. Hold for two seconds to switch noise cancelling on or off.
`,
  'guides/home-hub-setup.md': `---
product: KE-HUB
---
# Home Hub setup

## Connecting to Wi-Fi

Plug in the hub, open the Kestrel app and follow the steps to join your 2.4 GHz Wi-Fi network.
The ring light turns solid blue once the hub is online.
`,
  'policies/warranty.md': `# Warranty

Every Kestrel product carries a two-year limited warranty against manufacturing defects.
Batteries are covered for one year. Damage from drops or water is not covered.
`,
  'faq/shipping.txt': `Shipping questions

How long does delivery take?

Standard delivery takes 3 to 5 business days. Express delivery arrives the next business day.
`,
};

describe.each(backends)('hybrid search on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  const deps = () => ({ db: database.db, embedder });
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('returns nothing from an empty knowledge base', async () => {
    expect(await searchKnowledge(deps(), 'warranty')).toEqual([]);
  });

  it('finds the passage that answers, with its source, version, chunk and heading', async () => {
    const report = await ingestInputs(deps(), [writeTree(docs)], testIngestSettings);
    expect(report.failed).toBe(0);
    const [best] = await searchKnowledge(deps(), 'how do I pair my earbuds with my phone?');
    expect(best).toMatchObject({ heading: 'Pairing with a phone', title: 'Aero Buds setup' });
    expect(best!.source).toMatch(/aero-buds-setup\.md$/);
    expect(best!.documentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(best!.versionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(best!.chunkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(best!.score).toBeGreaterThan(0);
    const [shipping] = await searchKnowledge(deps(), 'delivery time');
    expect(shipping!.source).toMatch(/shipping\.txt$/);
  });

  it('ranks best first and respects the limit', async () => {
    const hits = await searchKnowledge(deps(), 'warranty battery cover', { limit: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]!.source).toMatch(/warranty\.md$/);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
  });

  it('filters by product and by document type', async () => {
    const hubOnly = await searchKnowledge(deps(), 'setup pairing wifi', { product: 'KE-HUB', limit: 10 });
    expect(hubOnly.length).toBeGreaterThan(0);
    expect(hubOnly.every((h) => h.source.endsWith('home-hub-setup.md'))).toBe(true);
    const policies = await searchKnowledge(deps(), 'setup pairing warranty', { kind: 'policy', limit: 10 });
    expect(policies.map((h) => h.source.split('/').pop())).toEqual(['warranty.md']);
    expect(await searchKnowledge(deps(), 'warranty', { kind: 'no-such-type' })).toEqual([]);
  });

  it('copes with hostile and odd queries', async () => {
    for (const query of [
      "'; DROP TABLE chunks; --",
      'the and of',
      '!!! ??? :: & | <-> ()',
      'ñandú über café 日本語',
      'x'.repeat(50_000),
      '   ',
    ]) {
      await expect(searchKnowledge(deps(), query)).resolves.toBeInstanceOf(Array);
    }
    expect((await searchKnowledge(deps(), 'warranty')).length).toBeGreaterThan(0);
  });
});
