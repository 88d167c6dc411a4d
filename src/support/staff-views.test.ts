import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { findCustomer, getCustomerDetail, listCustomers } from './customers.ts';
import { importRecords, importText } from './import.ts';
import { getStaffOrder, listAllOrders } from './orders.ts';
import { deleteProduct, getProduct, listProducts, saveProduct } from './products.ts';

const examples = path.resolve(import.meta.dirname, '../../examples');
const page = { limit: 100, offset: 0 };

// What staff see in the console: every customer's records, as contract views.
describe.each(backends)('staff views of customer data on %s', (backend) => {
  let database: TestDatabase;
  let mayaId: string;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    for (const kind of ['products', 'customers', 'orders'] as const) {
      await importRecords(database.db, kind, path.join(examples, `${kind}.jsonl`));
    }
    mayaId = (await findCustomer(database.db, 'cus_a1f93k'))!.id;
  });
  afterAll(() => database?.destroy());

  it('lists, saves and deletes products by SKU', async () => {
    const found = await listProducts(database.db, { q: 'aura', ...page });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => /aura/i.test(`${p.sku} ${p.name}`))).toBe(true);

    const saved = await saveProduct(database.db, 'KE-T-1', { name: 'Cable', description: '', specs: {} });
    expect(saved).toMatchObject({ sku: 'KE-T-1', name: 'Cable', price: null, specs: {} });
    expect(saved.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const updated = await saveProduct(database.db, 'KE-T-1', {
      name: 'Cable',
      description: 'USB-C',
      price: 9.5,
      specs: { length: '1 m' },
    });
    expect(updated).toMatchObject({ id: saved.id, price: 9.5, specs: { length: '1 m' } });
    expect(await getProduct(database.db, 'KE-T-1')).toEqual(updated);

    expect(await deleteProduct(database.db, 'KE-T-1')).toBe(true);
    expect(await deleteProduct(database.db, 'KE-T-1')).toBe(false);
    expect(await getProduct(database.db, 'KE-T-1')).toBeUndefined();
  });

  it('lists customers and shows one with their orders, products, preferences and conversations', async () => {
    const [maya] = await listCustomers(database.db, { q: 'okonkwo', ...page });
    expect(maya).toMatchObject({ id: mayaId, externalId: 'cus_a1f93k', name: 'Maya Okonkwo' });
    expect((await listCustomers(database.db, { limit: 2, offset: 0 })).length).toBe(2);

    const detail = (await getCustomerDetail(database.db, mayaId))!;
    expect(detail.customer).toEqual(maya);
    expect(detail.orders.map((o) => o.id).sort()).toEqual(['KE-100118', 'KE-100322', 'KE-100622']);
    expect(detail.products.length).toBeGreaterThan(0);
    expect(detail.conversations).toEqual([]);
    expect(await getCustomerDetail(database.db, crypto.randomUUID())).toBeUndefined();
  });

  it("lists every customer's orders and opens any one by its number", async () => {
    const all = await listAllOrders(database.db, page);
    expect(new Set(all.map((o) => o.customerId)).size).toBeGreaterThan(1);
    const mine = await listAllOrders(database.db, { customerId: mayaId, ...page });
    expect(mine.map((o) => o.number).sort()).toEqual(['KE-100118', 'KE-100322', 'KE-100622']);
    expect(mine[0]).toMatchObject({ customerName: 'Maya Okonkwo' });

    expect(await getStaffOrder(database.db, 'KE-100118')).toMatchObject({
      id: 'KE-100118',
      status: 'delivered',
      customerId: mayaId,
    });
    expect(await getStaffOrder(database.db, 'KE-000000')).toBeUndefined();
  });

  it('imports JSON Lines sent as text', async () => {
    const text = '{"sku":"KE-IMP-1","name":"Imported speaker","price":20}\n\n';
    expect(await importText(database.db, 'products', text)).toEqual({
      kind: 'products',
      inserted: 1,
      updated: 0,
    });
    expect(await importText(database.db, 'products', text)).toMatchObject({ inserted: 0, updated: 1 });
  });
});
