import { createRoute, z } from '@hono/zod-openapi';
import { analytics } from '../../../support/analytics.ts';
import type { App } from '../../app.ts';
import { jsonResponse } from './common.ts';

const Analytics = z
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
    unanswered: z.array(z.object({ question: z.string(), count: z.number(), lastAsked: z.string() })),
  })
  .openapi('Analytics');

const route = createRoute({
  method: 'get',
  path: '/api/admin/analytics',
  tags: ['Admin: analytics'],
  summary: 'Dashboard figures: volume, resolution, escalation, satisfaction, latency, cost, questions, gaps',
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) },
  responses: jsonResponse(Analytics),
});

export function registerAdminAnalytics(app: App): void {
  app.openapi(route, async (c) =>
    c.json(await analytics(c.get('services').db, c.req.valid('query').days), 200),
  );
}
