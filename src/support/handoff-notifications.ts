// What the hand-off tells the outside world (webhooks, email): the notifications service receives these after
// the change is committed. It is passed in as a function so support code does not depend on how it delivers.

/** A hand-off event worth telling staff or the customer about outside the app. */
export interface HandoffNotification {
  type:
    'conversation.escalated' | 'conversation.message' | 'conversation.resolved' | 'conversation.staff_reply';
  conversationId: string;
  messageId?: string;
  reason?: string;
}

/** Delivers (or enqueues) a notification; see `notifyConversationEvent` in `support/notifications/`. */
export type NotifyHandoff = (notification: HandoffNotification) => Promise<void>;

/** Sends a notification if a notifier is configured; a failure to notify never fails the change it reports. */
export async function sendHandoffNotification(
  notify: NotifyHandoff | undefined,
  notification: HandoffNotification,
): Promise<void> {
  if (!notify) return;
  try {
    await notify(notification);
  } catch {
    // Notifications are best effort: the conversation itself is already stored and visible in the inbox.
  }
}
