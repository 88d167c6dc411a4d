import type { NotificationConfig } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { companyProfile } from '../company-profile.ts';
import { customerReplyEmail, sendEmail, staffEscalationEmail } from './email.ts';
import type { NotificationDelivery } from './events.ts';
import { loadNotificationContext } from './payload.ts';
import { type AttemptResult, postWebhook } from './webhook.ts';

/** How a delivery ended; `skipped` means there was nothing to send (channel off, nobody to send to). */
export type DeliveryResult = AttemptResult | { status: 'skipped'; detail: string };

export interface DeliveryDeps {
  db: Db;
  config: { notifications: NotificationConfig };
}

/**
 * A customer seen on the live conversation this recently is still reading it: they get the staff reply on
 * screen, not by email. The live connection refreshes `customer_seen_at` well within this.
 */
export const customerPresenceMs = 90_000;

/**
 * Delivers one notification: reads the conversation as it is now, then posts the webhook or sends the email.
 * Never throws for a failed delivery: the result says whether a retry may help.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  delivery: NotificationDelivery,
  now: Date = new Date(),
): Promise<DeliveryResult> {
  const { webhook, email, publicUrl } = deps.config.notifications;
  const skip = (detail: string): DeliveryResult => ({ status: 'skipped', detail });
  if (delivery.channel === 'webhook' && !webhook) return skip('no webhook configured');
  if (delivery.channel !== 'webhook' && !email) return skip('no SMTP server configured');
  const context = await loadNotificationContext(deps.db, delivery.event);
  if (!context) return skip('the conversation no longer exists');

  if (delivery.channel === 'webhook') return postWebhook(context.payload, webhook!, publicUrl);
  if (delivery.channel === 'staff-email') {
    if (!email!.staff.length) return skip('no staff email configured');
    return sendEmail(staffEscalationEmail(context, email!.staff, publicUrl), email!);
  }
  if (!context.customerEmail) return skip('no email for the customer');
  const seen = context.customerSeenAt?.getTime();
  if (seen && now.getTime() - seen < customerPresenceMs) return skip('the customer is in the chat');
  const message = customerReplyEmail(context, context.customerEmail, await companyProfile(deps.db));
  if (!message) return skip('the reply no longer exists');
  return sendEmail(message, email!);
}
