import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq, ilike, or } from 'drizzle-orm';
import { type Product, products } from '../../../db/schema/index.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { iso, jsonBody, jsonResponse, Ok, Paging } from './common.ts';

const tags = ['Admin: products'];

const ProductView = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().nullable(),
    specs: z.record(z.string(), z.unknown()),
    updatedAt: z.string().nullable(),
  })
  .openapi('Product');

const ProductInput = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(20_000).default(''),
  price: z.number().min(0).max(1e9).nullable().optional(),
  specs: z.record(z.string(), z.unknown()).default({}),
});

const Sku = z.object({ sku: z.string().min(1).max(100) });

const view = (p: Product) => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  description: p.description,
  price: p.price ?? null,
  specs: p.specs,
  updatedAt: iso(p.updatedAt),
});

const list = createRoute({
  method: 'get',
  path: '/api/admin/products',
  tags,
  summary: 'Products, filtered by SKU or name',
  request: { query: Paging },
  responses: jsonResponse(z.object({ products: z.array(ProductView) })),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'One product',
  request: { params: Sku },
  responses: jsonResponse(ProductView),
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'Create or update a product',
  request: { params: Sku, body: jsonBody(ProductInput) },
  responses: jsonResponse(ProductView),
});

const remove = createRoute({
  method: 'delete',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'Delete a product (order lines keep their SKU)',
  request: { params: Sku },
  responses: jsonResponse(Ok),
});

export function registerAdminProducts(app: App): void {
  app.openapi(list, async (c) => {
    const { q, limit, offset } = c.req.valid('query');
    const rows = await c
      .get('services')
      .db.select()
      .from(products)
      .where(q ? or(ilike(products.sku, `%${q}%`), ilike(products.name, `%${q}%`)) : undefined)
      .orderBy(asc(products.name))
      .limit(limit)
      .offset(offset);
    return c.json({ products: rows.map(view) }, 200);
  });
  app.openapi(show, async (c) => {
    const [row] = await c
      .get('services')
      .db.select()
      .from(products)
      .where(eq(products.sku, c.req.valid('param').sku));
    if (!row) throw notFound('Product');
    return c.json(view(row), 200);
  });
  app.openapi(put, async (c) => {
    const { sku } = c.req.valid('param');
    const input = c.req.valid('json');
    const values = {
      name: input.name,
      description: input.description,
      price: input.price ?? null,
      specs: input.specs,
    };
    const [row] = await c
      .get('services')
      .db.insert(products)
      .values({ sku, ...values })
      .onConflictDoUpdate({ target: products.sku, set: { ...values, updatedAt: new Date() } })
      .returning();
    return c.json(view(row!), 200);
  });
  app.openapi(remove, async (c) => {
    const rows = await c
      .get('services')
      .db.delete(products)
      .where(eq(products.sku, c.req.valid('param').sku))
      .returning({ id: products.id });
    if (rows.length === 0) throw notFound('Product');
    return c.json({ ok: true as const }, 200);
  });
}
