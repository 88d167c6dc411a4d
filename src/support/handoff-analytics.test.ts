import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { queryRows } from '../db/client.ts';
import { analytics } from './analytics.ts';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** A conversation handed over `escalatedMinutesAgo`, with staff replies the given minutes after it. */
async function handedOver(
  db: TestDatabase['db'],
  options: {
    escalatedMinutesAgo: number;
    staffAfterMinutes?: number[];
    source?: string;
    reason?: string;
    status?: 'escalated' | 'resolved';
  },
): Promise<void> {
  const escalatedAt = minutesAgo(options.escalatedMinutesAgo);
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO conversations (status, escalation_source, escalation_reason, escalated_at, created_at)
        VALUES (${options.status ?? 'escalated'}, ${options.source ?? null}, ${options.reason ?? null},
          ${escalatedAt}::timestamptz, ${escalatedAt}::timestamptz - interval '2 minutes')
        RETURNING id`,
  );
  const id = row!.id;
  await db.execute(
    sql`INSERT INTO messages (conversation_id, role, content, created_at)
        VALUES (${id}, 'user', 'I need a person', ${escalatedAt}::timestamptz - interval '1 minute')`,
  );
  for (const after of options.staffAfterMinutes ?? []) {
    await db.execute(
      sql`INSERT INTO messages (conversation_id, role, content, author_name, created_at)
          VALUES (${id}, 'staff', 'Hi, Alex here', 'Alex', ${escalatedAt}::timestamptz + ${`${after} minutes`}::interval)`,
    );
  }
}

describe.each(backends)('hand-off analytics on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('reports nothing on an empty database', async () => {
    const { handoff } = await analytics(database.db, 30);
    expect(handoff).toEqual({
      handoffs: 0,
      firstHumanReply: { median: null, p90: null, replied: 0, unanswered: 0 },
      bySource: [],
      byReason: [],
      resolvedBy: { bot: 0, person: 0 },
    });
  });

  it('measures the first human reply, groups hand-offs by cause, and splits resolutions', async () => {
    const db = database.db;
    // First replies after 2, 4, 6, 8 and 30 minutes (the second staff message does not count).
    for (const [i, first] of [2, 4, 6, 8, 30].entries()) {
      await handedOver(db, {
        escalatedMinutesAgo: 600 + i,
        staffAfterMinutes: [first, first + 1],
        source: i < 3 ? 'requested' : 'rule',
        reason: i < 3 ? 'Customer asked for a person' : 'Safety: burning smell',
        status: i === 0 ? 'resolved' : 'escalated',
      });
    }
    // Still waiting; handed over by a thumbs-down.
    await handedOver(db, {
      escalatedMinutesAgo: 5,
      source: 'thumbs_down',
      reason: 'customer rated an answer down',
    });
    // Handed over long before the period: not counted.
    await handedOver(db, { escalatedMinutesAgo: 60 * 24 * 40, staffAfterMinutes: [1], source: 'requested' });
    // Resolved by the agent alone.
    await db.execute(sql`INSERT INTO conversations (status) VALUES ('resolved'), ('resolved')`);

    const { handoff } = await analytics(db, 30);
    expect(handoff.handoffs).toBe(6);
    expect(handoff.firstHumanReply).toEqual({
      // Median of 2, 4, 6, 8, 30 minutes is 6 minutes; p90 interpolates between 8 and 30: 8 + 0.6 × 22.
      median: 360,
      p90: Math.round((8 + 0.6 * 22) * 60),
      replied: 5,
      unanswered: 1,
    });
    expect(handoff.bySource).toEqual([
      { source: 'requested', count: 3 },
      { source: 'rule', count: 2 },
      { source: 'thumbs_down', count: 1 },
    ]);
    expect(handoff.byReason).toEqual([
      { reason: 'Customer asked for a person', count: 3 },
      { reason: 'Safety: burning smell', count: 2 },
      { reason: 'customer rated an answer down', count: 1 },
    ]);
    expect(handoff.resolvedBy).toEqual({ bot: 2, person: 1 });
  });

  it('ignores a staff message written before the latest hand-off', async () => {
    const db = database.db;
    await db.execute(sql`DELETE FROM conversations`);
    await handedOver(db, { escalatedMinutesAgo: 30, staffAfterMinutes: [-10, 3] });
    const { handoff } = await analytics(db, 7);
    expect(handoff.firstHumanReply).toMatchObject({ median: 180, p90: 180, replied: 1 });
  });
});
