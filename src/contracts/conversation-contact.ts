import { z } from '@hono/zod-openapi';

/** An email a customer leaves so the team can reply there (outside business hours, or after they leave). */
export const ContactInput = z
  .object({ email: z.string().trim().max(254).pipe(z.email('Enter a valid email address.')) })
  .openapi('ContactInput');
export type ContactInput = z.infer<typeof ContactInput>;

/** Whether the chat should ask for an email, and the one on record. */
export const ContactState = z
  .object({
    /** The conversation waits for a person who may not come soon, and there is no email to reply to. */
    askForEmail: z.boolean(),
    email: z.string().nullable(),
  })
  .openapi('ContactState');
export type ContactState = z.infer<typeof ContactState>;
