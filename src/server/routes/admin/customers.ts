import { createRoute } from '@hono/zod-openapi';
import { IdParam, Paging } from '../../../contracts/primitives.ts';
import { CustomerDetail, CustomerList } from '../../../contracts/customers.ts';
import { getCustomerDetail, listCustomers } from '../../../support/customers.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: customers'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/customers',
  tags,
  summary: 'Customers, filtered by name, email or external id',
  request: { query: Paging },
  responses: jsonResponse(CustomerList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/customers/{id}',
  tags,
  summary: 'A customer with orders, owned products, preferences and conversations',
  request: { params: IdParam },
  responses: jsonResponse(CustomerDetail),
});

export function registerAdminCustomers(app: App): void {
  app.openapi(list, async (c) =>
    c.json({ customers: await listCustomers(c.get('services').db, c.req.valid('query')) }, 200),
  );
  app.openapi(show, async (c) => {
    const detail = await getCustomerDetail(c.get('services').db, c.req.valid('param').id);
    if (!detail) throw notFound('Customer');
    return c.json(detail, 200);
  });
}
