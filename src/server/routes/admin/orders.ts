import { createRoute, z } from '@hono/zod-openapi';
import { ImportKindParam, ImportResult } from '../../../contracts/imports.ts';
import { OrderList, OrderListQuery, OrderNumberParam, StaffOrderView } from '../../../contracts/orders.ts';
import { importText } from '../../../support/import.ts';
import { getStaffOrder, listAllOrders } from '../../../support/orders.ts';
import type { App } from '../../app.ts';
import { ApiError, notFound } from '../../errors.ts';
import { jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: orders'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/orders',
  tags,
  summary: 'Orders, newest first, optionally of one customer',
  request: { query: OrderListQuery },
  responses: jsonResponse(OrderList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/orders/{number}',
  tags,
  summary: 'One order with its items',
  request: { params: OrderNumberParam },
  responses: jsonResponse(StaffOrderView),
});

const importRoute = createRoute({
  method: 'post',
  path: '/api/admin/import/{kind}',
  tags: ['Admin: imports'],
  summary: 'Import customers, products or orders from JSON Lines (the body), all or nothing',
  request: {
    params: ImportKindParam,
    body: { content: { 'application/x-ndjson': { schema: z.string() } }, required: true },
  },
  responses: jsonResponse(ImportResult),
});

export function registerAdminOrders(app: App): void {
  app.openapi(list, async (c) =>
    c.json({ orders: await listAllOrders(c.get('services').db, c.req.valid('query')) }, 200),
  );
  app.openapi(show, async (c) => {
    const order = await getStaffOrder(c.get('services').db, c.req.valid('param').number);
    if (!order) throw notFound('Order');
    return c.json(order, 200);
  });
  app.openapi(importRoute, async (c) => {
    const text = await c.req.text();
    if (!text.trim()) throw new ApiError('invalid_request', 'The body is empty; send JSON Lines.');
    return c.json(await importText(c.get('services').db, c.req.valid('param').kind, text), 200);
  });
}
