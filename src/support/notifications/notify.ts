import type { NotificationConfig } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { deliverNotification } from './deliver.ts';
import type { ConversationEvent, DeliveryChannel, NotificationDelivery } from './events.ts';

/** What enqueues deliveries: the job queue (`JobQueue` fits), seen from below the jobs layer. */
export interface NotificationQueue {
  enqueue(name: 'notify.deliver', payload: NotificationDelivery): Promise<string | null>;
}

export interface NotifyDeps {
  db: Db;
  /** With a queue each delivery is a retried job; without one it is attempted once, inline. */
  queue?: NotificationQueue | undefined;
  config: { notifications: NotificationConfig };
  /**
   * Whether a customer has the conversation open live on this server (the event bus knows its connections):
   * they see a staff reply on screen and get no email.
   */
  isWatched?: ((conversationId: string) => boolean | Promise<boolean>) | undefined;
  /** Where failures are reported (they are never thrown); defaults to nowhere. */
  log?: ((line: string) => void) | undefined;
}

/** Which channels an event goes to, given what is configured. */
function channelsFor(type: ConversationEvent['type'], config: NotificationConfig): DeliveryChannel[] {
  const channels: DeliveryChannel[] = [];
  if (config.webhook && type !== 'conversation.staff_reply') channels.push('webhook');
  if (config.email?.staff.length && type === 'conversation.escalated') channels.push('staff-email');
  if (config.email && type === 'conversation.staff_reply') channels.push('customer-email');
  return channels;
}

/**
 * Announces a conversation event: a webhook for escalations, customer messages while a person holds the
 * conversation and resolutions; email to staff on escalation; email to a customer who has left the chat when
 * staff reply. Call it after the transaction that made the event has committed.
 *
 * With a queue it enqueues one `notify.deliver` job per channel and resolves; without one it delivers inline,
 * once. It never rejects: a notification must not fail the action that caused it. Callers that must not wait
 * for an inline delivery may `void` it.
 *
 * @example await notifyConversationEvent({ db, queue, config }, { type: 'conversation.escalated', conversationId })
 */
export async function notifyConversationEvent(deps: NotifyDeps, event: ConversationEvent): Promise<void> {
  const log = deps.log ?? (() => {});
  try {
    let channels = channelsFor(event.type, deps.config.notifications);
    if (channels.includes('customer-email') && (await deps.isWatched?.(event.conversationId))) {
      channels = channels.filter((c) => c !== 'customer-email');
    }
    if (!channels.length) return;
    const common = {
      id: crypto.randomUUID(),
      type: event.type,
      conversationId: event.conversationId,
      createdAt: new Date().toISOString(),
      ...(event.messageId ? { messageId: event.messageId } : {}),
      ...(event.reason ? { reason: event.reason.slice(0, 2000) } : {}),
    };
    for (const channel of channels) {
      const delivery: NotificationDelivery = { channel, event: common };
      try {
        if (deps.queue) {
          await deps.queue.enqueue('notify.deliver', delivery);
          continue;
        }
        const result = await deliverNotification(deps, delivery);
        if (result.status === 'retry' || result.status === 'rejected') {
          log(`notification ${channel} for ${event.type} ${event.conversationId} failed: ${result.detail}`);
        }
      } catch (error) {
        log(
          `notification ${channel} for ${event.type} ${event.conversationId} failed: ${(error as Error).message}`,
        );
      }
    }
  } catch (error) {
    log(`notifications for ${event.type} ${event.conversationId} failed: ${(error as Error).message}`);
  }
}
