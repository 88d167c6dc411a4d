import { asc, eq, ilike, or, sql } from 'drizzle-orm';
import { iso, type Paging } from '../contracts/primitives.ts';
import type { ProductInput, ProductView } from '../contracts/products.ts';
import { type Db } from '../db/client.ts';
import { type Product, products } from '../db/schema/index.ts';

/** A product as the agent's lookup tool gives it to the model. */
export interface ProductFacts {
  sku: string;
  name: string;
  description: string;
  price: number | null;
  specs: Record<string, unknown>;
  details: Record<string, unknown>;
}

// Catalogues up to this size are also matched by trigram similarity in memory, which forgives typos.
const fuzzyCatalogueLimit = 5000;

/**
 * Looks a product up by SKU or name, forgiving partial names and typos: an exact SKU wins, then names and
 * descriptions that contain the words, then names that merely look alike.
 */
export async function findProducts(db: Db, query: string, limit = 5): Promise<ProductFacts[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  const [exact] = await db
    .select()
    .from(products)
    .where(sql`lower(${products.sku}) = lower(${q})`);
  if (exact) return [toFacts(exact)];
  const words = q
    .split(/\s+/)
    .filter((w) => w.length > 1)
    .slice(0, 8);
  const textual = await db
    .select()
    .from(products)
    .where(
      or(
        ilike(products.sku, `%${escapeLike(q)}%`),
        ilike(products.name, `%${escapeLike(q)}%`),
        sql`to_tsvector('english', ${products.name} || ' ' || ${products.description})
            @@ replace(plainto_tsquery('english', ${q})::text, ' & ', ' | ')::tsquery`,
      ),
    )
    .orderBy(
      sql`(${products.name} ILIKE ${`%${escapeLike(q)}%`})::int DESC,
          ts_rank(setweight(to_tsvector('english', ${products.name}), 'A') ||
                  setweight(to_tsvector('english', ${products.description}), 'D'),
                  replace(plainto_tsquery('english', ${q})::text, ' & ', ' | ')::tsquery) DESC`,
    )
    .limit(limit);
  if (textual.length > 0 || words.length === 0) return textual.map(toFacts);
  const catalogue = await db
    .select()
    .from(products)
    .limit(fuzzyCatalogueLimit + 1);
  if (catalogue.length > fuzzyCatalogueLimit) return [];
  return catalogue
    .map((p) => ({ p, score: Math.max(similarity(q, p.name), similarity(q, p.sku)) }))
    .filter((x) => x.score >= 0.3)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => toFacts(x.p));
}

/** Products whose SKU or name contains `q` (all without it), by name: the staff catalogue listing. */
export async function listProducts(db: Db, { q, limit, offset }: Paging): Promise<ProductView[]> {
  const rows = await db
    .select()
    .from(products)
    .where(q ? or(ilike(products.sku, `%${q}%`), ilike(products.name, `%${q}%`)) : undefined)
    .orderBy(asc(products.name))
    .limit(limit)
    .offset(offset);
  return rows.map(productView);
}

/** One product by its exact SKU. */
export async function getProduct(db: Db, sku: string): Promise<ProductView | undefined> {
  const [row] = await db.select().from(products).where(eq(products.sku, sku));
  return row ? productView(row) : undefined;
}

/** Creates the product with this SKU, or replaces its editable fields. */
export async function saveProduct(db: Db, sku: string, input: ProductInput): Promise<ProductView> {
  const values = {
    name: input.name,
    description: input.description,
    price: input.price ?? null,
    specs: input.specs,
  };
  const [row] = await db
    .insert(products)
    .values({ sku, ...values })
    .onConflictDoUpdate({ target: products.sku, set: { ...values, updatedAt: new Date() } })
    .returning();
  return productView(row!);
}

/** Deletes a product (order lines keep their SKU); false if there was none. */
export async function deleteProduct(db: Db, sku: string): Promise<boolean> {
  const rows = await db.delete(products).where(eq(products.sku, sku)).returning({ id: products.id });
  return rows.length > 0;
}

function productView(p: Product): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price ?? null,
    specs: p.specs,
    updatedAt: iso(p.updatedAt),
  };
}

function toFacts(p: Product): ProductFacts {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    specs: p.specs,
    details: p.metadata,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Trigram (Jaccard) similarity of two strings, 0..1, like pg_trgm's. */
export function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const out = new Set<string>();
    for (const word of s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)) {
      const padded = `  ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return shared / (ga.size + gb.size - shared || 1);
}
