import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { customerProducts, orderItems, orders, products } from '../db/schema/index.ts';

export interface OrderView {
  id: string;
  status: string;
  placedAt: string;
  tracking: string | null;
  total: number | null;
  items: { sku: string; name: string; quantity: number; unitPrice: number | null }[];
  details: Record<string, unknown>;
}

export interface OwnedProductView {
  sku: string;
  name: string;
  orderId: string | null;
  purchasedAt: string | null;
  serialNumber: string | null;
  warrantyEndsAt: string | null;
  underWarranty: boolean;
}

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
