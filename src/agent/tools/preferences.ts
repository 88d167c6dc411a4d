import { tool } from 'ai';
import { z } from 'zod';
import { readPreferences, rememberPreference } from '../../support/preferences.ts';
import { type ToolContext, toolError, toolInput } from './tool-context.ts';

type CustomerContext = ToolContext & { identity: { kind: 'customer'; customerId: string } };

const rememberInput = toolInput(
  z.object({
    key: z.string().min(1).max(64).describe('snake_case name, e.g. contact_channel'),
    value: z.string().min(1).max(500),
  }),
);
const noInput = toolInput(z.object({}));

export function rememberPreferenceTool(ctx: CustomerContext) {
  return tool({
    description:
      'Remember a lasting preference the customer states (e.g. contact_channel = email, language = German). ' +
      'Never store payment details or passwords.',
    inputSchema: rememberInput,
    execute: async ({ key, value }) => {
      if (/card|password|cvv|iban|ssn|secret/i.test(key)) return toolError('That is not something to store.');
      const result = await rememberPreference(ctx.db, ctx.identity.customerId, key, value);
      return result.ok ? { remembered: { key, value } } : toolError(result.error);
    },
  });
}

export function readPreferencesTool(ctx: CustomerContext) {
  return tool({
    description: "The signed-in customer's stored preferences.",
    inputSchema: noInput,
    execute: async () => ({ preferences: await readPreferences(ctx.db, ctx.identity.customerId) }),
  });
}
