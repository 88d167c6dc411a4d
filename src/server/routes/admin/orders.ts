import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { customers, orders } from '../../../db/schema/index.ts';
import { importKinds, importRecords } from '../../../support/import.ts';
import { getOrder } from '../../../support/orders.ts';
import type { App } from '../../app.ts';
import { ApiError, notFound } from '../../errors.ts';
import { iso, jsonResponse, Paging } from './common.ts';

const tags = ['Admin: orders'];

const OrderRow = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.string(),
    placedAt: z.string().nullable(),
    total: z.number().nullable(),
    tracking: z.string().nullable(),
    customerId: z.string(),
    customerName: z.string().nullable(),
  })
  .openapi('OrderRow');

const list = createRoute({
  method: 'get',
  path: '/api/admin/orders',
  tags,
  summary: 'Orders, newest first, optionally of one customer',
  request: { query: Paging.extend({ customerId: z.string().uuid().optional() }) },
  responses: jsonResponse(z.object({ orders: z.array(OrderRow) })),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/orders/{number}',
  tags,
  summary: 'One order with its items',
  request: { params: z.object({ number: z.string().min(1).max(100) }) },
  responses: jsonResponse(z.record(z.string(), z.unknown())),
});

const importRoute = createRoute({
  method: 'post',
  path: '/api/admin/import/{kind}',
  tags: ['Admin: imports'],
  summary: 'Import customers, products or orders from JSON Lines (the body), all or nothing',
  request: {
    params: z.object({ kind: z.enum(importKinds) }),
    body: { content: { 'application/x-ndjson': { schema: z.string() } }, required: true },
  },
  responses: jsonResponse(z.record(z.string(), z.unknown())),
});

export function registerAdminOrders(app: App): void {
  app.openapi(list, async (c) => {
    const { limit, offset, customerId } = c.req.valid('query');
    const rows = await c
      .get('services')
      .db.select({ order: orders, customerName: customers.name })
      .from(orders)
      .innerJoin(customers, eq(customers.id, orders.customerId))
      .where(customerId ? eq(orders.customerId, customerId) : undefined)
      .orderBy(desc(orders.placedAt))
      .limit(limit)
      .offset(offset);
    return c.json(
      {
        orders: rows.map(({ order, customerName }) => ({
          id: order.id,
          number: order.externalId,
          status: order.status,
          placedAt: iso(order.placedAt),
          total: order.total ?? null,
          tracking: order.tracking,
          customerId: order.customerId,
          customerName,
        })),
      },
      200,
    );
  });

  app.openapi(show, async (c) => {
    const { db } = c.get('services');
    const [row] = await db
      .select({ customerId: orders.customerId })
      .from(orders)
      .where(eq(orders.externalId, c.req.valid('param').number));
    const order = row && (await getOrder(db, row.customerId, c.req.valid('param').number));
    if (!order) throw notFound('Order');
    return c.json({ ...order, customerId: row.customerId } as Record<string, unknown>, 200);
  });

  app.openapi(importRoute, async (c) => {
    const { kind } = c.req.valid('param');
    const text = await c.req.text();
    if (!text.trim()) throw new ApiError('invalid_request', 'The body is empty; send JSON Lines.');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-import-'));
    try {
      const file = path.join(dir, `${kind}.jsonl`);
      await fs.writeFile(file, text);
      const result = await importRecords(c.get('services').db, kind, file);
      return c.json(result as unknown as Record<string, unknown>, 200);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
}
