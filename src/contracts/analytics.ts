import { z } from '@hono/zod-openapi';

// The console dashboard's figures.

export const AnalyticsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

/** How people on the team handled the conversations handed to them. */
export const HandoffAnalytics = z.object({
  /** Conversations handed to a person in the period. */
  handoffs: z.number(),
  /** Seconds from the hand-off to the first staff reply, over the hand-offs that got one. */
  firstHumanReply: z.object({
    median: z.number().nullable(),
    p90: z.number().nullable(),
    replied: z.number(),
    /** Hand-offs still without a staff reply. */
    unanswered: z.number(),
  }),
  /** What sent conversations to a person: the customer asked, a hand-off rule, abstaining twice, a thumbs-down… */
  bySource: z.array(z.object({ source: z.string(), count: z.number() })),
  /** The most frequent escalation reasons, as recorded. */
  byReason: z.array(z.object({ reason: z.string(), count: z.number() })),
  /** Resolved conversations: by the agent alone (no staff message) or with a person. */
  resolvedBy: z.object({ bot: z.number(), person: z.number() }),
});
export type HandoffAnalytics = z.infer<typeof HandoffAnalytics>;

export const Analytics = z
  .object({
    days: z.number(),
    conversationsPerDay: z.array(
      z.object({ day: z.string(), conversations: z.number(), escalated: z.number(), resolved: z.number() }),
    ),
    totals: z.object({
      conversations: z.number(),
      resolved: z.number(),
      escalated: z.number(),
      resolutionRate: z.number(),
      escalationRate: z.number(),
      turns: z.number(),
      abstained: z.number(),
    }),
    satisfaction: z.object({ up: z.number(), down: z.number(), rate: z.number().nullable() }),
    latency: z.object({
      p50: z.number().nullable(),
      p95: z.number().nullable(),
      firstTokenP50: z.number().nullable(),
    }),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }),
    topQuestions: z.array(z.object({ question: z.string(), count: z.number() })),
    /** Questions the agent could not answer from the knowledge base: the gaps to fill. */
    unanswered: z.array(z.object({ question: z.string(), count: z.number(), lastAsked: z.string() })),
    handoff: HandoffAnalytics,
  })
  .openapi('Analytics');
export type Analytics = z.infer<typeof Analytics>;
