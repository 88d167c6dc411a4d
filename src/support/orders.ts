import { and, desc, eq, inArray } from 'drizzle-orm';
import { iso } from '../contracts/primitives.ts';
import type {
  OrderListQuery,
  OrderRow,
  OrderView,
  OwnedProductView,
  StaffOrderView,
} from '../contracts/orders.ts';
import { type Db } from '../db/client.ts';
import { customerProducts, customers, orderItems, orders, products } from '../db/schema/index.ts';

/** A customer's orders, newest first. Only ever the given customer's. */
export async function listOrders(db: Db, customerId: string, limit = 10): Promise<OrderView[]> {
  const rows = await db
    .select()
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .orderBy(desc(orders.placedAt))
    .limit(limit);
  return withItems(db, rows);
}

/**
 * One order by its number, if it belongs to the customer. Another customer's order is indistinguishable from
 * one that does not exist.
 */
export async function getOrder(db: Db, customerId: string, orderId: string): Promise<OrderView | undefined> {
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.externalId, orderId.trim().toUpperCase())));
  return (await withItems(db, rows))[0];
}

/** Every customer's orders (or one customer's), newest first, with whose they are: the staff listing. */
export async function listAllOrders(
  db: Db,
  { customerId, limit, offset }: OrderListQuery,
): Promise<OrderRow[]> {
  const rows = await db
    .select({ order: orders, customerName: customers.name })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(customerId ? eq(orders.customerId, customerId) : undefined)
    .orderBy(desc(orders.placedAt))
    .limit(limit)
    .offset(offset);
  return rows.map(({ order, customerName }) => ({
    id: order.id,
    number: order.externalId,
    status: order.status,
    placedAt: iso(order.placedAt),
    total: order.total ?? null,
    tracking: order.tracking,
    customerId: order.customerId,
    customerName,
  }));
}

/** Any customer's order by its exact number, for staff. */
export async function getStaffOrder(db: Db, number: string): Promise<StaffOrderView | undefined> {
  const rows = await db.select().from(orders).where(eq(orders.externalId, number));
  const [order] = await withItems(db, rows);
  return order && { ...order, customerId: rows[0]!.customerId };
}

async function withItems(db: Db, rows: (typeof orders.$inferSelect)[]): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select({
      orderId: orderItems.orderId,
      sku: orderItems.sku,
      quantity: orderItems.quantity,
      unitPrice: orderItems.unitPrice,
      name: products.name,
    })
    .from(orderItems)
    .leftJoin(products, eq(products.id, orderItems.productId))
    .where(
      inArray(
        orderItems.orderId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((o) => ({
    id: o.externalId,
    status: o.status,
    placedAt: o.placedAt.toISOString(),
    tracking: o.tracking,
    total: o.total,
    items: items
      .filter((i) => i.orderId === o.id)
      .map((i) => ({ sku: i.sku, name: i.name ?? i.sku, quantity: i.quantity, unitPrice: i.unitPrice })),
    details: o.metadata,
  }));
}

/** Products the customer owns, with warranty status as of `today`. */
export async function listOwnedProducts(
  db: Db,
  customerId: string,
  today = new Date(),
): Promise<OwnedProductView[]> {
  const rows = await db
    .select({
      sku: products.sku,
      name: products.name,
      orderId: orders.externalId,
      purchasedAt: customerProducts.purchasedAt,
      serialNumber: customerProducts.serialNumber,
      warrantyEndsAt: customerProducts.warrantyEndsAt,
    })
    .from(customerProducts)
    .innerJoin(products, eq(products.id, customerProducts.productId))
    .leftJoin(orders, eq(orders.id, customerProducts.orderId))
    .where(eq(customerProducts.customerId, customerId))
    .orderBy(desc(customerProducts.purchasedAt));
  const day = today.toISOString().slice(0, 10);
  return rows.map((r) => ({
    ...r,
    purchasedAt: r.purchasedAt?.toISOString() ?? null,
    underWarranty: r.warrantyEndsAt !== null && r.warrantyEndsAt >= day,
  }));
}
