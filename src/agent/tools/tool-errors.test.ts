import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { LocalEmbedder } from '../../knowledge/embed/index.ts';
import { searchKnowledgeTool } from './search-knowledge.ts';
import { suggestSolutionsTool } from './suggest-solutions.ts';
import { type ToolContext, TurnLedger } from './tool-context.ts';

describe.each(backends)('a tool whose database query fails, on %s', (backend) => {
  let database: TestDatabase;
  let ctx: ToolContext;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    // The search and the solution look-up now fail with the database's own text, which quotes the SQL.
    await database.db.execute(sql`DROP TABLE chunks CASCADE`);
    await database.db.execute(sql`DROP TABLE solutions CASCADE`);
    ctx = {
      db: database.db,
      embedder: new LocalEmbedder(),
      identity: { kind: 'visitor', visitorId: 'vis_tooltest0000000' },
      conversationId: '00000000-0000-4000-8000-000000000000',
      abstainThreshold: 0.5,
      ledger: new TurnLedger(),
    };
  });
  afterAll(() => database?.destroy());

  const run = (t: { execute?: unknown }, input: unknown) =>
    (t.execute as (input: unknown, options: unknown) => Promise<unknown>)(input, {
      toolCallId: 'call_1',
      messages: [],
    });

  it('tells the model the search failed, without the database text', async () => {
    const output = await run(searchKnowledgeTool(ctx), { query: 'how do I pair my earbuds?' });
    expect(output).toEqual({ error: expect.stringMatching(/search failed/i) });
    expect(JSON.stringify(output)).not.toMatch(/chunks|select|relation|does not exist/i);
  });

  it('tells the model the solution look-up failed, without the database text', async () => {
    const output = await run(suggestSolutionsTool(ctx), { problem: 'my earbuds will not pair' });
    expect(output).toEqual({ error: expect.stringMatching(/failed/i) });
    expect(JSON.stringify(output)).not.toMatch(/select|relation|does not exist|where/i);
  });
});
