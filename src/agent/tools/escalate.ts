import { tool } from 'ai';
import { z } from 'zod';
import { type EscalationSource } from '../../db/schema/index.ts';
import { handoffStatus } from '../../support/business-hours.ts';
import { companyProfile } from '../../support/company-profile.ts';
import { escalateConversation as sendToInbox } from '../../support/escalation.ts';
import { sendHandoffNotification } from '../../support/handoff-notifications.ts';
import { type ToolContext, toolInput } from './tool-context.ts';

const escalateInput = toolInput(
  z.object({ reason: z.string().min(3).max(500).describe('Why a human should take over') }),
);

/** Hands the conversation over to a human. */
export function escalateTool(ctx: ToolContext) {
  return tool({
    description:
      'Hand the conversation to a human support agent. Use when the customer asks for a person, when the ' +
      'documentation does not answer and the customer needs more, or for safety, fraud, privacy or exceptions.',
    inputSchema: escalateInput,
    execute: async ({ reason }) => {
      await escalateConversation(ctx, reason, 'agent');
      const hours = handoffStatus(await companyProfile(ctx.db), ctx.now?.() ?? new Date());
      return {
        escalated: true,
        message: hours.open ? 'A member of the support team will take over this conversation.' : hours.text,
      };
    },
  });
}

/**
 * Sends the conversation to the staff inbox with the hand-off reason (notifying staff the first time) and
 * notes it on the turn's ledger, which makes the turn's outcome `escalated`.
 */
export async function escalateConversation(
  ctx: ToolContext,
  reason: string,
  source: EscalationSource = 'agent',
): Promise<void> {
  ctx.ledger.escalation = reason;
  if (await sendToInbox(ctx.db, ctx.conversationId, { source, reason })) {
    await sendHandoffNotification(ctx.notify, {
      type: 'conversation.escalated',
      conversationId: ctx.conversationId,
      reason,
    });
  }
}
