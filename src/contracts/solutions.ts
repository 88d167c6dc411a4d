import { z } from '@hono/zod-openapi';

// Solutions: fixes that worked, suggested from resolved conversations and reviewed by staff before the agent
// may offer them.

export const solutionStatuses = ['suggested', 'approved', 'rejected'] as const;
export const SolutionStatus = z.enum(solutionStatuses);
export type SolutionStatus = z.infer<typeof SolutionStatus>;

export const SolutionQuery = z.object({ status: SolutionStatus.optional() });

export const SolutionView = z
  .object({
    id: z.string(),
    problem: z.string(),
    resolution: z.string(),
    product: z.string().nullable(),
    conversationId: z.string().nullable(),
    status: z.string(),
    timesUsed: z.number(),
    timesResolved: z.number(),
    reviewedBy: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('Solution');
export type SolutionView = z.infer<typeof SolutionView>;

export const SolutionList = z.object({ solutions: z.array(SolutionView) });
export type SolutionList = z.infer<typeof SolutionList>;

/** Staff edits to a solution; any field left out stays as it is. */
export const SolutionEdits = z
  .object({
    problem: z.string().min(1).max(5000).optional(),
    resolution: z.string().min(1).max(10_000).optional(),
    product: z.string().max(100).nullable().optional(),
  })
  .openapi('SolutionEdits');
export type SolutionEdits = z.infer<typeof SolutionEdits>;
