import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { findCustomer, getCustomerProfile } from './customers.ts';
import {
  appendMessage,
  getOwnConversation,
  linkVisitorToCustomer,
  listMessages,
  listOwnConversations,
  startConversation,
} from './conversations.ts';
import { type Identity, newVisitorId } from './identity.ts';
import { importRecords } from './import.ts';
import { getOrder, listOrders, listOwnedProducts } from './orders.ts';
import { readPreferences, rememberPreference } from './preferences.ts';
import { findProducts } from './products.ts';

const examples = path.resolve(import.meta.dirname, '../../examples');

describe.each(backends)('customer data on %s', (backend) => {
  let database: TestDatabase;
  let maya: Identity & { kind: 'customer' };
  let devon: Identity & { kind: 'customer' };
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    for (const kind of ['products', 'customers', 'orders'] as const) {
      await importRecords(database.db, kind, path.join(examples, `${kind}.jsonl`));
    }
    const a = (await findCustomer(database.db, 'cus_a1f93k'))!;
    const b =
      (await findCustomer(database.db, 'D.Reyes@Example.com'.toLowerCase())) ??
      (await findCustomer(database.db, 'cus_b27x4d'))!;
    maya = { kind: 'customer', customerId: a.id, externalId: a.externalId, name: a.name };
    devon = { kind: 'customer', customerId: b.id, externalId: b.externalId, name: b.name };
  });
  afterAll(() => database?.destroy());

  it('finds customers by id or email, case-insensitively', async () => {
    expect((await findCustomer(database.db, 'MAYA.OKONKWO@example.com'))?.externalId).toBe('cus_a1f93k');
    expect(await findCustomer(database.db, 'nobody@example.com')).toBeUndefined();
    const profile = await getCustomerProfile(database.db, maya.customerId);
    expect(profile).toMatchObject({ id: 'cus_a1f93k', name: 'Maya Okonkwo', plan: 'plus' });
  });

  it("returns a customer's own orders and owned products, never another's", async () => {
    const own = await listOrders(database.db, maya.customerId);
    expect(own.map((o) => o.id).sort()).toEqual(['KE-100118', 'KE-100322', 'KE-100622']);
    expect(own[0]!.items.length).toBeGreaterThan(0);
    expect(await getOrder(database.db, maya.customerId, 'ke-100118')).toMatchObject({
      id: 'KE-100118',
      status: 'delivered',
    });
    const devonsOrder = (await listOrders(database.db, devon.customerId))[0]!.id;
    expect(await getOrder(database.db, maya.customerId, devonsOrder)).toBeUndefined();
    const owned = await listOwnedProducts(database.db, maya.customerId, new Date('2026-11-24'));
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.find((p) => p.sku === 'KE-HP-A700')).toMatchObject({
      serialNumber: 'KS7A2K9M4Q1X',
      warrantyEndsAt: '2027-06-14',
      underWarranty: true,
    });
  });

  it('looks products up by SKU, name and misspelt name', async () => {
    expect((await findProducts(database.db, 'ke-hp-a700'))[0]!.sku).toBe('KE-HP-A700');
    expect((await findProducts(database.db, 'Aura 700'))[0]!.name).toMatch(/Aura 700/);
    expect((await findProducts(database.db, 'perch hub')).map((p) => p.sku)).toContain('KE-SH-PERCH');
    expect((await findProducts(database.db, 'Vantgae smartwach'))[0]?.name).toMatch(/Vantage/);
    // Query text is data: LIKE wildcards and SQL fragments match literally or not at all.
    expect(await findProducts(database.db, '%%%')).toEqual([]);
    await findProducts(database.db, "'; DROP TABLE products; --");
    expect((await findProducts(database.db, 'KE-HP-A700')).length).toBe(1);
  });

  it('keeps preferences per customer, bounded in size', async () => {
    expect(await rememberPreference(database.db, maya.customerId, 'Contact channel', 'email')).toEqual({
      ok: true,
    });
    await rememberPreference(database.db, maya.customerId, 'contact_channel', 'phone');
    expect(await readPreferences(database.db, maya.customerId)).toEqual({ contact_channel: 'phone' });
    expect(await readPreferences(database.db, devon.customerId)).toEqual({});
    expect(await rememberPreference(database.db, maya.customerId, 'k', 'x'.repeat(501))).toMatchObject({
      ok: false,
    });
    for (let i = 0; i < 60; i++) await rememberPreference(database.db, devon.customerId, `key_${i}`, 'v');
    expect(Object.keys(await readPreferences(database.db, devon.customerId))).toHaveLength(50);
  });

  it('keeps conversations private to their owner, and links a visitor who signs in', async () => {
    const mine = await startConversation(database.db, maya, 'cli');
    await appendMessage(database.db, {
      conversationId: mine.id,
      role: 'user',
      content: 'Where is my order KE-100622?',
    });
    expect(await getOwnConversation(database.db, maya, mine.id)).toMatchObject({
      title: 'Where is my order KE-100622?',
    });
    expect(await getOwnConversation(database.db, devon, mine.id)).toBeUndefined();
    expect(await getOwnConversation(database.db, maya, 'not-a-uuid')).toBeUndefined();
    expect((await listOwnConversations(database.db, devon)).map((c) => c.id)).not.toContain(mine.id);

    const visitor: Identity = { kind: 'visitor', visitorId: newVisitorId() };
    const anon = await startConversation(database.db, visitor, 'widget');
    await appendMessage(database.db, {
      conversationId: anon.id,
      role: 'user',
      content: 'Do you ship to Canada?',
    });
    expect(
      await getOwnConversation(database.db, { kind: 'visitor', visitorId: newVisitorId() }, anon.id),
    ).toBeUndefined();
    expect(await linkVisitorToCustomer(database.db, visitor.visitorId, maya.customerId)).toBe(1);
    expect((await listOwnConversations(database.db, maya)).map((c) => c.id)).toContain(anon.id);
    // Once linked, the anonymous visitor id alone no longer opens it.
    expect(await getOwnConversation(database.db, visitor, anon.id)).toBeUndefined();
    expect((await listMessages(database.db, anon.id)).map((m) => m.content)).toEqual([
      'Do you ship to Canada?',
    ]);
  });
});
