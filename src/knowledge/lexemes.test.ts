import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { queryRows } from '../db/client.ts';
import { parseLexemes } from './lexemes.ts';

describe('parseLexemes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database?.destroy());

  const postgres = async (text: string) =>
    (
      await queryRows<{ lexeme: string; n: number }>(
        database.db,
        sql`SELECT v.lexeme, cardinality(v.positions) AS n FROM unnest(to_tsvector('english', ${text})) v`,
      )
    )
      .map((r) => `${r.lexeme}:${Number(r.n)}`)
      .sort();

  it("reads texts as Postgres' English parser does, from the cache the second time", async () => {
    const texts = [
      'How do I rotate my keys? Rotating keys, rotated keys!',
      'Is IBM Cloud VPC free?',
      'set-up of v4.2 on https://example.com/path (see "docs")',
      "what's the delivery address for order 113542617735902?",
      '',
    ];
    for (let pass = 0; pass < 2; pass++) {
      const parsed = await parseLexemes(database.db, texts);
      for (const [i, text] of texts.entries()) {
        const mine = parsed
          .filter((p) => p.text === i)
          .map((p) => `${p.lexeme}:${p.count}`)
          .sort();
        expect(mine).toEqual(await postgres(text));
      }
    }
  });
});
