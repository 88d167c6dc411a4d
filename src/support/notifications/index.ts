export { customerPresenceMs, type DeliveryResult, deliverNotification } from './deliver.ts';
export {
  type ConversationEvent,
  type ConversationEventType,
  conversationEventTypes,
  type DeliveryChannel,
  NotificationDelivery,
} from './events.ts';
export { notifyConversationEvent, type NotificationQueue, type NotifyDeps } from './notify.ts';
export type { WebhookPayload } from './payload.ts';
export { signatureHeader, signWebhookBody, verifyWebhookSignature } from './signing.ts';
export { slackBody } from './slack.ts';
export { retryableStatus, webhookBody } from './webhook.ts';
