import { tool } from 'ai';
import { z } from 'zod';
import { setConversationStatus } from '../../support/conversations.ts';
import { type ToolContext } from './tool-context.ts';

/** Hands the conversation over to a human. */
export function escalateTool(ctx: ToolContext) {
  return tool({
    description:
      'Hand the conversation to a human support agent. Use when the customer asks for a person, when the ' +
      'documentation does not answer and the customer needs more, or for safety, fraud, privacy or exceptions.',
    inputSchema: z.object({ reason: z.string().min(3).max(500).describe('Why a human should take over') }),
    execute: async ({ reason }) => {
      await escalateConversation(ctx, reason);
      return { escalated: true, message: 'A member of the support team will take over this conversation.' };
    },
  });
}

/** Marks the conversation escalated and records the hand-off reason. */
export async function escalateConversation(ctx: ToolContext, reason: string): Promise<void> {
  ctx.ledger.escalation = reason;
  await setConversationStatus(ctx.db, ctx.conversationId, 'escalated', reason);
}
