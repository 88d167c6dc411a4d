import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq, ilike, or } from 'drizzle-orm';
import { type Customer, customers } from '../../../db/schema/index.ts';
import { listConversations } from '../../../support/conversations.ts';
import { listOrders, listOwnedProducts } from '../../../support/orders.ts';
import { readPreferences } from '../../../support/preferences.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { IdParam, iso, jsonResponse, Paging } from './common.ts';

const tags = ['Admin: customers'];

const CustomerView = z
  .object({
    id: z.string(),
    externalId: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    plan: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('Customer');

const view = (c: Customer) => ({
  id: c.id,
  externalId: c.externalId,
  email: c.email,
  name: c.name,
  plan: c.plan,
  createdAt: iso(c.createdAt),
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/customers',
  tags,
  summary: 'Customers, filtered by name, email or external id',
  request: { query: Paging },
  responses: jsonResponse(z.object({ customers: z.array(CustomerView) })),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/customers/{id}',
  tags,
  summary: 'A customer with orders, owned products, preferences and conversations',
  request: { params: IdParam },
  responses: jsonResponse(
    z.object({
      customer: CustomerView,
      orders: z.array(z.record(z.string(), z.unknown())),
      products: z.array(z.record(z.string(), z.unknown())),
      preferences: z.record(z.string(), z.string()),
      conversations: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});

export function registerAdminCustomers(app: App): void {
  app.openapi(list, async (c) => {
    const { q, limit, offset } = c.req.valid('query');
    const pattern = `%${q ?? ''}%`;
    const rows = await c
      .get('services')
      .db.select()
      .from(customers)
      .where(
        q
          ? or(
              ilike(customers.name, pattern),
              ilike(customers.email, pattern),
              ilike(customers.externalId, pattern),
            )
          : undefined,
      )
      .orderBy(asc(customers.name))
      .limit(limit)
      .offset(offset);
    return c.json({ customers: rows.map(view) }, 200);
  });
  app.openapi(show, async (c) => {
    const { db } = c.get('services');
    const [row] = await db
      .select()
      .from(customers)
      .where(eq(customers.id, c.req.valid('param').id));
    if (!row) throw notFound('Customer');
    const conversations = await listConversations(db, { customerId: row.id, limit: 50 });
    return c.json(
      {
        customer: view(row),
        orders: (await listOrders(db, row.id, 50)) as unknown as Record<string, unknown>[],
        products: (await listOwnedProducts(db, row.id)) as unknown as Record<string, unknown>[],
        preferences: await readPreferences(db, row.id),
        conversations: conversations.map((v) => ({
          ...v,
          createdAt: v.createdAt.toISOString(),
          updatedAt: v.updatedAt.toISOString(),
        })),
      },
      200,
    );
  });
}
