import { z } from '@hono/zod-openapi';

/** A staff API token as listed: never the token itself, only its first characters. */
export const StaffTokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('StaffToken');
export type StaffTokenView = z.infer<typeof StaffTokenView>;

export const StaffTokenList = z.object({ tokens: z.array(StaffTokenView) });
export type StaffTokenList = z.infer<typeof StaffTokenList>;

export const StaffTokenInput = z.object({ name: z.string().min(1).max(100) }).openapi('StaffTokenInput');
export type StaffTokenInput = z.infer<typeof StaffTokenInput>;

/** A newly created token: the only time the token is shown. */
export const CreatedStaffToken = z.object({ id: z.string(), token: z.string() }).openapi('CreatedStaffToken');
export type CreatedStaffToken = z.infer<typeof CreatedStaffToken>;
