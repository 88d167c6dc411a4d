import { z } from '@hono/zod-openapi';

/** A catalogue product as staff see and edit it. */
export const ProductView = z
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
export type ProductView = z.infer<typeof ProductView>;

/** What staff send to create or replace a product; the SKU is in the path. */
export const ProductInput = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(20_000).default(''),
    price: z.number().min(0).max(1e9).nullable().optional(),
    specs: z.record(z.string(), z.unknown()).default({}),
  })
  .openapi('ProductInput');
export type ProductInput = z.infer<typeof ProductInput>;

export const SkuParam = z.object({ sku: z.string().min(1).max(100) });

export const ProductList = z.object({ products: z.array(ProductView) });
export type ProductList = z.infer<typeof ProductList>;
