import { z } from '@hono/zod-openapi';
import { ConversationRow } from './conversations.ts';
import { OrderView, OwnedProductView } from './orders.ts';

/** A customer as staff see them in listings. */
export const CustomerView = z
  .object({
    id: z.string(),
    externalId: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    plan: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('Customer');
export type CustomerView = z.infer<typeof CustomerView>;

export const CustomerList = z.object({ customers: z.array(CustomerView) });
export type CustomerList = z.infer<typeof CustomerList>;

/** One of the customer's conversations: the staff listing's row, with its summary. */
export const CustomerConversation = ConversationRow.extend({ summary: z.string().nullable() }).openapi(
  'CustomerConversation',
);
export type CustomerConversation = z.infer<typeof CustomerConversation>;

/** Everything staff see on a customer's page. */
export const CustomerDetail = z
  .object({
    customer: CustomerView,
    orders: z.array(OrderView),
    products: z.array(OwnedProductView),
    preferences: z.record(z.string(), z.string()),
    conversations: z.array(CustomerConversation),
  })
  .openapi('CustomerDetail');
export type CustomerDetail = z.infer<typeof CustomerDetail>;
