import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { conversations, solutions } from '../db/schema/index.ts';
import { LocalEmbedder } from '../knowledge/embed/index.ts';
import { appendMessage, startConversation } from './conversations.ts';
import { newVisitorId } from './identity.ts';
import {
  approveSolution,
  findSimilarSolutions,
  listSolutions,
  recordSolutionsOffered,
  rejectSolution,
  resolveConversation,
} from './solutions.ts';

describe.each(backends)('solutions on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  async function conversationAbout(problem: string, answer: string) {
    const c = await startConversation(database.db, { kind: 'visitor', visitorId: newVisitorId() }, 'api');
    await appendMessage(database.db, { conversationId: c.id, role: 'user', content: problem });
    await appendMessage(database.db, { conversationId: c.id, role: 'assistant', content: answer });
    return c;
  }

  it('suggests a solution when a conversation is resolved, once, for review', async () => {
    const c = await conversationAbout(
      'My earbuds keep disconnecting from my laptop',
      'Turn off multipoint, then re-pair.',
    );
    const suggested = await resolveConversation(database.db, c.id);
    expect(suggested).toMatchObject({
      status: 'suggested',
      problem: 'My earbuds keep disconnecting from my laptop',
      resolution: 'Turn off multipoint, then re-pair.',
    });
    expect((await resolveConversation(database.db, c.id))!.id).toBe(suggested!.id);
    expect((await listSolutions(database.db, 'suggested')).map((s) => s.id)).toEqual([suggested!.id]);
    const [row] = await database.db.select().from(conversations).where(eq(conversations.id, c.id));
    expect(row!.status).toBe('resolved');
  });

  it('offers only approved solutions, by similarity, and counts uses and resolutions', async () => {
    const [pending] = await listSolutions(database.db, 'suggested');
    expect(await findSimilarSolutions(database.db, embedder, 'earbuds disconnecting from laptop')).toEqual(
      [],
    );
    await approveSolution(database.db, embedder, pending!.id, {
      resolution: 'Turn off multipoint in the app, then forget and re-pair the earbuds.',
      reviewer: 'sam',
    });
    const rejected = await resolveConversation(
      database.db,
      (await conversationAbout('Hub ring light is red', 'Restart the router.')).id,
    );
    await rejectSolution(database.db, rejected!.id);

    const matches = await findSimilarSolutions(
      database.db,
      embedder,
      'my earbuds keep disconnecting from the laptop',
    );
    expect(matches.map((m) => m.id)).toEqual([pending!.id]);
    expect(matches[0]!.resolution).toMatch(/forget and re-pair/);
    expect(await findSimilarSolutions(database.db, embedder, 'hub ring light red')).toEqual([]);

    const later = await conversationAbout('earbuds disconnect from my laptop', 'Try the approved fix.');
    await recordSolutionsOffered(database.db, later.id, [pending!.id]);
    await resolveConversation(database.db, later.id);
    await resolveConversation(database.db, later.id);
    const [counted] = await database.db.select().from(solutions).where(eq(solutions.id, pending!.id));
    expect(counted).toMatchObject({ timesUsed: 1, timesResolved: 1, reviewedBy: 'sam' });
  });
});
