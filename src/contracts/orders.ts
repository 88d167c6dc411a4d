import { z } from '@hono/zod-openapi';
import { Paging } from './primitives.ts';

export const OrderItemView = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number(),
  unitPrice: z.number().nullable(),
});

/** One order with its items, as the agent's tools and the console show it; `id` is the order number. */
export const OrderView = z
  .object({
    id: z.string(),
    status: z.string(),
    placedAt: z.string(),
    tracking: z.string().nullable(),
    total: z.number().nullable(),
    items: z.array(OrderItemView),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('Order');
export type OrderView = z.infer<typeof OrderView>;

/** An order looked up by staff, who also see whose it is. */
export const StaffOrderView = OrderView.extend({ customerId: z.string() }).openapi('StaffOrder');
export type StaffOrderView = z.infer<typeof StaffOrderView>;

/** A line of the staff order listing. */
export const OrderRow = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.string(),
    placedAt: z.string().nullable(),
    total: z.number().nullable(),
    tracking: z.string().nullable(),
    customerId: z.string(),
    customerName: z.string().nullable(),
  })
  .openapi('OrderRow');
export type OrderRow = z.infer<typeof OrderRow>;

export const OrderListQuery = Paging.extend({ customerId: z.string().uuid().optional() });
export type OrderListQuery = z.infer<typeof OrderListQuery>;

export const OrderList = z.object({ orders: z.array(OrderRow) });
export type OrderList = z.infer<typeof OrderList>;

export const OrderNumberParam = z.object({ number: z.string().min(1).max(100) });

/** A product a customer owns, with its warranty as of today. */
export const OwnedProductView = z
  .object({
    sku: z.string(),
    name: z.string(),
    orderId: z.string().nullable(),
    purchasedAt: z.string().nullable(),
    serialNumber: z.string().nullable(),
    warrantyEndsAt: z.string().nullable(),
    underWarranty: z.boolean(),
  })
  .openapi('OwnedProduct');
export type OwnedProductView = z.infer<typeof OwnedProductView>;
