import { z } from '@hono/zod-openapi';
import { visitorIdPattern } from './limits.ts';

// The chat page's session: who the page speaks for, and the explicit step that moves a visitor's anonymous
// conversations to the customer who signs in.

/** Who the caller is, as the chat page shows it ("Signed in as ..."). */
export const CustomerSession = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('customer'), externalId: z.string(), name: z.string().nullable() }),
    z.object({ kind: z.literal('visitor'), visitorId: z.string() }),
  ])
  .openapi('CustomerSession');
export type CustomerSession = z.infer<typeof CustomerSession>;

/** A visitor id and the token the server issued with it (`x-parley-visitor-token`), proving this browser has it. */
export const LinkVisitorInput = z
  .object({
    visitorId: z.string().regex(visitorIdPattern),
    visitorToken: z.string().min(1).max(200),
  })
  .openapi('LinkVisitor');
export type LinkVisitorInput = z.infer<typeof LinkVisitorInput>;

export const LinkVisitorResult = z
  .object({
    /** How many anonymous conversations became the customer's. */
    linked: z.number().int(),
    externalId: z.string(),
    name: z.string().nullable(),
  })
  .openapi('LinkVisitorResult');
export type LinkVisitorResult = z.infer<typeof LinkVisitorResult>;
