import { index, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { customers } from './customers.ts';
import { products } from './products.ts';

export const orders = pgTable(
  'orders',
  {
    id: id(),
    externalId: text('external_id').notNull().unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    tracking: text('tracking'),
    total: numeric('total', { precision: 12, scale: 2, mode: 'number' }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('orders_customer_idx').on(t.customerId, t.placedAt)],
).enableRLS();

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').references(() => products.id, { onDelete: 'set null' }),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: numeric('unit_price', { precision: 12, scale: 2, mode: 'number' }),
  },
  (t) => [index('order_items_order_idx').on(t.orderId)],
).enableRLS();

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
