import { sql } from 'drizzle-orm';
import type { Analytics } from '../contracts/analytics.ts';
import { type Db, queryRows } from '../db/client.ts';
import { handoffAnalytics } from './handoff-analytics.ts';

const n = (v: unknown) => Number(v ?? 0);
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0);

/** The dashboard's figures over the last `days` days (UTC days). */
export async function analytics(db: Db, days = 30): Promise<Analytics> {
  // An ISO string, cast in SQL: postgres.js does not bind Date objects in raw queries.
  const since = sql`${new Date(Date.now() - days * 86_400_000).toISOString()}::timestamptz`;
  const perDay = await queryRows<{ day: string; conversations: number; escalated: number; resolved: number }>(
    db,
    sql`SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
          count(*)::int AS conversations,
          count(*) FILTER (WHERE status = 'escalated')::int AS escalated,
          count(*) FILTER (WHERE status = 'resolved')::int AS resolved
        FROM conversations WHERE created_at >= ${since}
        GROUP BY 1 ORDER BY 1`,
  );
  const [runs] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT count(*)::int AS turns,
          count(*) FILTER (WHERE outcome = 'abstained')::int AS abstained,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY time_to_first_token_ms) AS ttft,
          coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
          coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
          coalesce(sum(cost_usd), 0)::float8 AS cost
        FROM agent_runs WHERE created_at >= ${since}`,
  );
  const [ratings] = await queryRows<{ up: number; down: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE rating > 0)::int AS up, count(*) FILTER (WHERE rating < 0)::int AS down
        FROM feedback WHERE created_at >= ${since}`,
  );
  // A conversation's first question is its title; similar wording is grouped case- and space-insensitively.
  const top = await queryRows<{ question: string; count: number }>(
    db,
    sql`SELECT min(title) AS question, count(*)::int AS count FROM conversations
        WHERE created_at >= ${since} AND title IS NOT NULL
        GROUP BY trim(lower(regexp_replace(title, '[[:space:][:punct:]]+', ' ', 'g')))
        ORDER BY count DESC, max(created_at) DESC LIMIT 10`,
  );
  const unanswered = await queryRows<{ question: string; count: number; last_asked: Date | string }>(
    db,
    sql`SELECT min(q.content) AS question, count(*)::int AS count, max(r.created_at) AS last_asked
        FROM agent_runs r
        JOIN messages a ON a.id = r.message_id
        JOIN LATERAL (
          SELECT u.content FROM messages u
          WHERE u.conversation_id = a.conversation_id AND u.role = 'user' AND u.created_at <= a.created_at
          ORDER BY u.created_at DESC LIMIT 1
        ) q ON true
        WHERE r.outcome = 'abstained' AND r.created_at >= ${since}
        GROUP BY trim(lower(regexp_replace(q.content, '[[:space:][:punct:]]+', ' ', 'g')))
        ORDER BY count DESC, max(r.created_at) DESC LIMIT 20`,
  );
  const handoff = await handoffAnalytics(db, since);
  const conversations = perDay.reduce((s, d) => s + n(d.conversations), 0);
  const resolved = perDay.reduce((s, d) => s + n(d.resolved), 0);
  const escalated = perDay.reduce((s, d) => s + n(d.escalated), 0);
  const up = n(ratings?.up);
  const down = n(ratings?.down);
  const ms = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    days,
    conversationsPerDay: perDay.map((d) => ({
      day: d.day,
      conversations: n(d.conversations),
      escalated: n(d.escalated),
      resolved: n(d.resolved),
    })),
    totals: {
      conversations,
      resolved,
      escalated,
      resolutionRate: rate(resolved, conversations),
      escalationRate: rate(escalated, conversations),
      turns: n(runs?.turns),
      abstained: n(runs?.abstained),
    },
    satisfaction: { up, down, rate: up + down > 0 ? rate(up, up + down) : null },
    latency: { p50: ms(runs?.p50), p95: ms(runs?.p95), firstTokenP50: ms(runs?.ttft) },
    usage: {
      inputTokens: n(runs?.input_tokens),
      outputTokens: n(runs?.output_tokens),
      costUsd: Math.round(n(runs?.cost) * 10_000) / 10_000,
    },
    topQuestions: top.map((t) => ({ question: t.question, count: n(t.count) })),
    unanswered: unanswered.map((u) => ({
      question: u.question,
      count: n(u.count),
      lastAsked: new Date(u.last_asked).toISOString(),
    })),
    handoff,
  };
}
