import { type SQL, sql } from 'drizzle-orm';
import type { HandoffAnalytics } from '../contracts/analytics.ts';
import { type Db, queryRows } from '../db/client.ts';

const n = (v: unknown) => Number(v ?? 0);
const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * Hand-off figures since `since` (an SQL timestamp): how fast a person first replied after a hand-off (median
 * and 90th percentile), what caused the hand-offs, and whether resolved conversations needed a person.
 */
export async function handoffAnalytics(db: Db, since: SQL): Promise<HandoffAnalytics> {
  // The first staff message after the latest hand-off of each conversation handed over in the period.
  const [reply] = await queryRows<Record<string, unknown>>(
    db,
    sql`WITH handed AS (
          SELECT c.id, c.escalated_at,
            (SELECT min(m.created_at) FROM messages m
              WHERE m.conversation_id = c.id AND m.role = 'staff' AND m.created_at >= c.escalated_at) AS first_reply
          FROM conversations c WHERE c.escalated_at >= ${since}
        )
        SELECT count(*)::int AS handoffs,
          count(first_reply)::int AS replied,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - escalated_at))
            FILTER (WHERE first_reply IS NOT NULL) AS median,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_reply - escalated_at))
            FILTER (WHERE first_reply IS NOT NULL) AS p90
        FROM handed`,
  );
  const bySource = await queryRows<{ source: string; count: number }>(
    db,
    sql`SELECT coalesce(escalation_source, 'unknown') AS source, count(*)::int AS count
        FROM conversations WHERE escalated_at >= ${since}
        GROUP BY 1 ORDER BY count DESC, source`,
  );
  const byReason = await queryRows<{ reason: string; count: number }>(
    db,
    sql`SELECT min(escalation_reason) AS reason, count(*)::int AS count
        FROM conversations WHERE escalated_at >= ${since} AND escalation_reason IS NOT NULL
        GROUP BY lower(trim(escalation_reason)) ORDER BY count DESC, reason LIMIT 10`,
  );
  // Like the other totals, conversations started in the period, by their current status.
  const [resolved] = await queryRows<{ bot: number; person: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE NOT staffed)::int AS bot, count(*) FILTER (WHERE staffed)::int AS person
        FROM (
          SELECT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'staff') AS staffed
          FROM conversations c WHERE c.status = 'resolved' AND c.created_at >= ${since}
        ) r`,
  );
  const handoffs = n(reply?.handoffs);
  const replied = n(reply?.replied);
  return {
    handoffs,
    firstHumanReply: {
      median: seconds(reply?.median),
      p90: seconds(reply?.p90),
      replied,
      unanswered: handoffs - replied,
    },
    bySource: bySource.map((r) => ({ source: r.source, count: n(r.count) })),
    byReason: byReason.map((r) => ({ reason: r.reason, count: n(r.count) })),
    resolvedBy: { bot: n(resolved?.bot), person: n(resolved?.person) },
  };
}
