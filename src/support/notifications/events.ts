import { z } from 'zod';

/** What happened to a conversation that someone outside Parley may want to hear about. */
export const conversationEventTypes = [
  'conversation.escalated',
  'conversation.message',
  'conversation.resolved',
  'conversation.staff_reply',
] as const;
export type ConversationEventType = (typeof conversationEventTypes)[number];

/** An event as services report it: ids only; the rest is read when it is delivered. */
export interface ConversationEvent {
  type: ConversationEventType;
  conversationId: string;
  /** The message the event is about (the customer's message, the staff reply). */
  messageId?: string | undefined;
  /** Why the conversation was escalated, when the caller knows better than the stored reason. */
  reason?: string | undefined;
}

/** Where one notification goes. */
export const deliveryChannels = ['webhook', 'staff-email', 'customer-email'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

/** One notification to deliver: the job payload of `notify.deliver`, stable across retries. */
export const NotificationDelivery = z.object({
  channel: z.enum(deliveryChannels),
  event: z.object({
    /** The event id receivers deduplicate on: the same for every channel and every retry. */
    id: z.uuid(),
    type: z.enum(conversationEventTypes),
    conversationId: z.uuid(),
    messageId: z.uuid().optional(),
    reason: z.string().max(2000).optional(),
    createdAt: z.iso.datetime(),
  }),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;
