import { createRoute } from '@hono/zod-openapi';
import { Ok, Paging } from '../../../contracts/primitives.ts';
import { ProductInput, ProductList, ProductView, SkuParam } from '../../../contracts/products.ts';
import { deleteProduct, getProduct, listProducts, saveProduct } from '../../../support/products.ts';
import type { App } from '../../app.ts';
import { notFound } from '../../errors.ts';
import { jsonBody, jsonResponse } from '../openapi-io.ts';

const tags = ['Admin: products'];

const list = createRoute({
  method: 'get',
  path: '/api/admin/products',
  tags,
  summary: 'Products, filtered by SKU or name',
  request: { query: Paging },
  responses: jsonResponse(ProductList),
});

const show = createRoute({
  method: 'get',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'One product',
  request: { params: SkuParam },
  responses: jsonResponse(ProductView),
});

const put = createRoute({
  method: 'put',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'Create or update a product',
  request: { params: SkuParam, body: jsonBody(ProductInput) },
  responses: jsonResponse(ProductView),
});

const remove = createRoute({
  method: 'delete',
  path: '/api/admin/products/{sku}',
  tags,
  summary: 'Delete a product (order lines keep their SKU)',
  request: { params: SkuParam },
  responses: jsonResponse(Ok),
});

export function registerAdminProducts(app: App): void {
  app.openapi(list, async (c) =>
    c.json({ products: await listProducts(c.get('services').db, c.req.valid('query')) }, 200),
  );
  app.openapi(show, async (c) => {
    const product = await getProduct(c.get('services').db, c.req.valid('param').sku);
    if (!product) throw notFound('Product');
    return c.json(product, 200);
  });
  app.openapi(put, async (c) =>
    c.json(await saveProduct(c.get('services').db, c.req.valid('param').sku, c.req.valid('json')), 200),
  );
  app.openapi(remove, async (c) => {
    if (!(await deleteProduct(c.get('services').db, c.req.valid('param').sku))) throw notFound('Product');
    return c.json({ ok: true as const }, 200);
  });
}
