import { z } from '@hono/zod-openapi';

/** Who is signed in to the console. */
export const StaffView = z.object({ name: z.string() }).openapi('Staff');
export type StaffView = z.infer<typeof StaffView>;

export const SignInInput = z.object({ token: z.string().min(1).max(200) }).openapi('SignIn');
export type SignInInput = z.infer<typeof SignInInput>;
