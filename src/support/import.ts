import fs from 'node:fs/promises';
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db } from '../db/client.ts';
import { customerProducts, customers, orderItems, orders, products } from '../db/schema/index.ts';
import type { ImportKind, ImportResult } from '../contracts/imports.ts';
import { wellFormedJson } from '../contracts/well-formed.ts';

const customerRecord = z.object({
  id: z.string().min(1),
  email: z.string().email().optional(),
  name: z.string().optional(),
  plan: z.string().optional(),
});
const productRecord = z.object({
  sku: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(''),
  price: z.number().nonnegative().optional(),
  specs: z.record(z.string(), z.unknown()).optional(),
});
const orderRecord = z.object({
  id: z.string().min(1),
  customer: z.string().min(1),
  status: z.string().min(1),
  placedAt: z.coerce.date(),
  items: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
  tracking: z.string().nullable().optional(),
});

export { importKinds, type ImportKind, type ImportResult } from '../contracts/imports.ts';

export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Nothing imported; fix these and retry:\n${problems
        .slice(0, 20)
        .map((p) => `  ${p}`)
        .join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'ImportError';
  }
}

/** Splits known fields from extra ones, which go to `metadata`. */
function withMetadata<T extends z.ZodObject>(schema: T, json: Record<string, unknown>) {
  const known = Object.keys(schema.shape);
  const metadata = Object.fromEntries(Object.entries(json).filter(([k]) => !known.includes(k)));
  return { record: schema.parse(json) as z.infer<T>, metadata };
}

/**
 * Upserts customers, products or orders from a JSONL file, all or nothing: if any line is malformed or refers
 * to an unknown customer or product, nothing is written and every problem is reported with its line number.
 */
export async function importRecords(db: Db, kind: ImportKind, file: string): Promise<ImportResult> {
  return importText(db, kind, await fs.readFile(file, 'utf8'));
}

/** Like `importRecords`, from JSON Lines already in memory (an upload). */
export async function importText(db: Db, kind: ImportKind, text: string): Promise<ImportResult> {
  const problems: string[] = [];
  const lines: { line: number; json: Record<string, unknown> }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      // An import file is as untrusted as a request body: a NUL in any field would fail the whole batch.
      const json = wellFormedJson(JSON.parse(raw));
      if (!json || typeof json !== 'object' || Array.isArray(json))
        problems.push(`line ${i + 1}: not a JSON object`);
      else lines.push({ line: i + 1, json: json as Record<string, unknown> });
    } catch {
      problems.push(`line ${i + 1}: not valid JSON`);
    }
  });
  const schema = { customers: customerRecord, products: productRecord, orders: orderRecord }[kind];
  const parsed = lines.flatMap(({ line, json }) => {
    const result = schema.safeParse(json);
    if (!result.success) {
      problems.push(
        ...result.error.issues.map(
          (iss) => `line ${line}: ${iss.path.join('.') || 'record'}: ${iss.message}`,
        ),
      );
      return [];
    }
    return [{ line, ...withMetadata(schema, json) }];
  });
  if (problems.length) throw new ImportError(problems);
  switch (kind) {
    case 'customers':
      return upsertCustomers(db, parsed as Parsed<typeof customerRecord>[]);
    case 'products':
      return upsertProducts(db, parsed as Parsed<typeof productRecord>[]);
    case 'orders':
      return upsertOrders(db, parsed as Parsed<typeof orderRecord>[]);
  }
}

type Parsed<T extends z.ZodObject> = { line: number; record: z.infer<T>; metadata: Record<string, unknown> };

async function upsertCustomers(db: Db, rows: Parsed<typeof customerRecord>[]): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const existing = await existingKeys(
      tx,
      'customers',
      rows.map((r) => r.record.id),
    );
    for (const { record, metadata } of rows) {
      const values = {
        externalId: record.id,
        email: record.email?.toLowerCase() ?? null,
        name: record.name ?? null,
        plan: record.plan ?? null,
        metadata,
      };
      await tx
        .insert(customers)
        .values(values)
        .onConflictDoUpdate({ target: customers.externalId, set: { ...values, updatedAt: new Date() } });
    }
    return { kind: 'customers', inserted: rows.length - existing, updated: existing };
  });
}

async function upsertProducts(db: Db, rows: Parsed<typeof productRecord>[]): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const existing = await existingKeys(
      tx,
      'products',
      rows.map((r) => r.record.sku),
    );
    for (const { record, metadata } of rows) {
      const values = {
        sku: record.sku,
        name: record.name,
        description: record.description,
        price: record.price ?? null,
        specs: record.specs ?? {},
        metadata,
      };
      await tx
        .insert(products)
        .values(values)
        .onConflictDoUpdate({ target: products.sku, set: { ...values, updatedAt: new Date() } });
    }
    return { kind: 'products', inserted: rows.length - existing, updated: existing };
  });
}

async function upsertOrders(db: Db, rows: Parsed<typeof orderRecord>[]): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const customerIds = new Map(
      (
        await tx
          .select({ id: customers.id, ext: customers.externalId })
          .from(customers)
          .where(inArray(customers.externalId, [...new Set(rows.map((r) => r.record.customer))]))
      ).map((c) => [c.ext, c.id]),
    );
    const skus = [...new Set(rows.flatMap((r) => r.record.items.map((i) => i.sku)))];
    const productBySku = new Map(
      (await tx.select().from(products).where(inArray(products.sku, skus))).map((p) => [p.sku, p]),
    );
    const problems = rows.flatMap(({ line, record }) => [
      ...(customerIds.has(record.customer) ? [] : [`line ${line}: unknown customer "${record.customer}"`]),
      ...record.items
        .filter((i) => !productBySku.has(i.sku))
        .map((i) => `line ${line}: unknown product "${i.sku}"`),
    ]);
    if (problems.length) throw new ImportError(problems);
    const existing = await existingKeys(
      tx,
      'orders',
      rows.map((r) => r.record.id),
    );
    for (const { record, metadata } of rows) {
      const total = record.items.reduce(
        (sum, i) => sum + (productBySku.get(i.sku)!.price ?? 0) * i.quantity,
        0,
      );
      const values = {
        externalId: record.id,
        customerId: customerIds.get(record.customer)!,
        status: record.status,
        placedAt: record.placedAt,
        tracking: record.tracking ?? null,
        total: Math.round(total * 100) / 100,
        metadata,
      };
      const [order] = await tx
        .insert(orders)
        .values(values)
        .onConflictDoUpdate({ target: orders.externalId, set: { ...values, updatedAt: new Date() } })
        .returning({ id: orders.id });
      await tx.delete(orderItems).where(eq(orderItems.orderId, order!.id));
      await tx.insert(orderItems).values(
        record.items.map((i) => ({
          orderId: order!.id,
          productId: productBySku.get(i.sku)!.id,
          sku: i.sku,
          quantity: i.quantity,
          unitPrice: productBySku.get(i.sku)!.price,
        })),
      );
      await recordOwnedProducts(tx, order!.id, values.customerId, record, metadata, productBySku);
    }
    return { kind: 'orders', inserted: rows.length - existing, updated: existing };
  });
}

/** Shipped and delivered orders give the customer the products, with warranty from the product's terms. */
async function recordOwnedProducts(
  tx: Db,
  orderId: string,
  customerId: string,
  record: z.infer<typeof orderRecord>,
  metadata: Record<string, unknown>,
  productBySku: Map<string, typeof products.$inferSelect>,
): Promise<void> {
  await tx.delete(customerProducts).where(eq(customerProducts.orderId, orderId));
  if (!['shipped', 'delivered'].includes(record.status)) return;
  // Serial numbers may come with the order as `serialNumbers: { [sku]: [serial, ...] }`.
  const serialNumbers = metadata.serialNumbers as Record<string, unknown[]> | undefined;
  for (const item of record.items) {
    const product = productBySku.get(item.sku)!;
    const months = Number(product.metadata.warrantyMonths ?? 12);
    const ends = new Date(record.placedAt);
    ends.setUTCMonth(ends.getUTCMonth() + (Number.isFinite(months) ? months : 12));
    const serials = serialNumbers?.[item.sku] ?? [];
    const serialAt = (n: number) => (typeof serials[n] === 'string' ? serials[n] : null);
    for (let n = 0; n < item.quantity; n++) {
      await tx.insert(customerProducts).values({
        customerId,
        productId: product.id,
        orderId,
        serialNumber: serialAt(n),
        purchasedAt: record.placedAt,
        warrantyEndsAt: ends.toISOString().slice(0, 10),
      });
    }
  }
}

async function existingKeys(
  tx: Db,
  table: 'customers' | 'products' | 'orders',
  keys: string[],
): Promise<number> {
  if (keys.length === 0) return 0;
  const column =
    table === 'customers' ? customers.externalId : table === 'products' ? products.sku : orders.externalId;
  const from = table === 'customers' ? customers : table === 'products' ? products : orders;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(from)
    .where(inArray(column, keys));
  return row?.n ?? 0;
}
