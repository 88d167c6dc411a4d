import { date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';
import { customers } from './customers.ts';
import { orders } from './orders.ts';
import { products } from './products.ts';

/** A product a customer owns, with its serial number and warranty. */
export const customerProducts = pgTable(
  'customer_products',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    serialNumber: text('serial_number'),
    purchasedAt: timestamp('purchased_at', { withTimezone: true }),
    warrantyEndsAt: date('warranty_ends_at'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('customer_products_customer_idx').on(t.customerId)],
).enableRLS();

export type CustomerProduct = typeof customerProducts.$inferSelect;
