import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { writeTree } from '../../test/support/files.ts';
import { customerProducts, customers, orderItems, orders, products } from '../db/schema/index.ts';
import { ImportError, importRecords } from './import.ts';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe.each(backends)('imports on %s', (backend) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    dir = writeTree({
      'products.jsonl': jsonl([
        {
          sku: 'KE-BUDS',
          name: 'Aero Buds',
          description: 'Earbuds',
          price: 99.5,
          warrantyMonths: 24,
          color: 'black',
        },
        { sku: 'KE-HUB', name: 'Home Hub', price: 149 },
      ]),
      'customers.jsonl': jsonl([
        { id: 'cus_1', email: 'ada@example.com', name: 'Ada', plan: 'plus', country: 'UK' },
        { id: 'cus_2', email: 'bo@example.com', name: 'Bo', plan: 'standard' },
      ]),
      'orders.jsonl': jsonl([
        {
          id: 'KE-1',
          customer: 'cus_1',
          status: 'delivered',
          placedAt: '2026-01-10T10:00:00Z',
          items: [{ sku: 'KE-BUDS', quantity: 2 }],
          tracking: '1Z999',
          carrier: 'UPS',
        },
        {
          id: 'KE-2',
          customer: 'cus_2',
          status: 'placed',
          placedAt: '2026-02-01T10:00:00Z',
          items: [{ sku: 'KE-HUB', quantity: 1 }],
          tracking: null,
        },
      ]),
      'orders-v2.jsonl': jsonl([
        {
          id: 'KE-2',
          customer: 'cus_2',
          status: 'shipped',
          placedAt: '2026-02-01T10:00:00Z',
          items: [{ sku: 'KE-HUB', quantity: 1 }],
          tracking: '1Z777',
        },
      ]),
      'bad-customers.jsonl':
        '{"id":"cus_9","email":"ok@example.com"}\n{"id":"cus_10","email":"not-an-email"}\nnot json\n',
      'orphan-orders.jsonl': jsonl([
        {
          id: 'KE-3',
          customer: 'cus_1',
          status: 'paid',
          placedAt: '2026-03-01',
          items: [{ sku: 'KE-BUDS', quantity: 1 }],
        },
        {
          id: 'KE-4',
          customer: 'cus_404',
          status: 'paid',
          placedAt: '2026-03-01',
          items: [{ sku: 'KE-NOPE', quantity: 1 }],
        },
      ]),
    });
  });
  afterAll(() => database?.destroy());

  it('upserts products and customers, keeping extra fields as metadata', async () => {
    expect(await importRecords(database.db, 'products', `${dir}/products.jsonl`)).toEqual({
      kind: 'products',
      inserted: 2,
      updated: 0,
    });
    expect(await importRecords(database.db, 'customers', `${dir}/customers.jsonl`)).toEqual({
      kind: 'customers',
      inserted: 2,
      updated: 0,
    });
    expect(await importRecords(database.db, 'customers', `${dir}/customers.jsonl`)).toEqual({
      kind: 'customers',
      inserted: 0,
      updated: 2,
    });
    const [buds] = await database.db.select().from(products).where(eq(products.sku, 'KE-BUDS'));
    expect(buds).toMatchObject({
      name: 'Aero Buds',
      price: 99.5,
      metadata: { warrantyMonths: 24, color: 'black' },
    });
    const [ada] = await database.db.select().from(customers).where(eq(customers.externalId, 'cus_1'));
    expect(ada).toMatchObject({ email: 'ada@example.com', plan: 'plus', metadata: { country: 'UK' } });
  });

  it('imports orders with items, totals and owned products with warranty for delivered orders', async () => {
    await importRecords(database.db, 'orders', `${dir}/orders.jsonl`);
    const rows = await database.db.select().from(orders).orderBy(asc(orders.externalId));
    expect(rows.map((o) => [o.externalId, o.status, o.total, o.tracking])).toEqual([
      ['KE-1', 'delivered', 199, '1Z999'],
      ['KE-2', 'placed', 149, null],
    ]);
    expect(rows[0]!.metadata).toEqual({ carrier: 'UPS' });
    const owned = await database.db.select().from(customerProducts);
    expect(owned).toHaveLength(2);
    expect(owned[0]!.warrantyEndsAt).toBe('2028-01-10');
  });

  it('updates an order in place when re-imported', async () => {
    expect(await importRecords(database.db, 'orders', `${dir}/orders-v2.jsonl`)).toEqual({
      kind: 'orders',
      inserted: 0,
      updated: 1,
    });
    const [o] = await database.db.select().from(orders).where(eq(orders.externalId, 'KE-2'));
    expect(o).toMatchObject({ status: 'shipped', tracking: '1Z777' });
    expect(
      (await database.db.select({ n: count() }).from(orderItems).where(eq(orderItems.orderId, o!.id)))[0]!.n,
    ).toBe(1);
    expect((await database.db.select({ n: count() }).from(customerProducts))[0]!.n).toBe(3);
  });

  it('writes nothing when any line is malformed, and names every bad line', async () => {
    const error = await importRecords(database.db, 'customers', `${dir}/bad-customers.jsonl`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems).toEqual([
      'line 3: not valid JSON',
      expect.stringMatching(/^line 2: email: /),
    ]);
    expect(await database.db.select().from(customers).where(eq(customers.externalId, 'cus_9'))).toEqual([]);
  });

  it('writes nothing when an order refers to an unknown customer or product', async () => {
    await expect(importRecords(database.db, 'orders', `${dir}/orphan-orders.jsonl`)).rejects.toThrow(
      /line 2: unknown customer "cus_404"[\s\S]*line 2: unknown product "KE-NOPE"/,
    );
    expect(await database.db.select().from(orders).where(eq(orders.externalId, 'KE-3'))).toEqual([]);
  });
});
