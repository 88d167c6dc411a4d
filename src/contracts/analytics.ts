import { z } from '@hono/zod-openapi';

// The console dashboard's figures.

export const AnalyticsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

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
  })
  .openapi('Analytics');
export type Analytics = z.infer<typeof Analytics>;
