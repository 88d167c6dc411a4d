import { eq, ilike, or, sql } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { type Product, products } from '../db/schema/index.ts';

export interface ProductView {
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
export async function findProducts(db: Db, query: string, limit = 5): Promise<ProductView[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  const [exact] = await db
    .select()
    .from(products)
    .where(sql`lower(${products.sku}) = lower(${q})`);
  if (exact) return [toView(exact)];
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
  if (textual.length > 0 || words.length === 0) return textual.map(toView);
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
    .map((x) => toView(x.p));
}

export async function getProductBySku(db: Db, sku: string): Promise<ProductView | undefined> {
  const [row] = await db.select().from(products).where(eq(products.sku, sku));
  return row ? toView(row) : undefined;
}

function toView(p: Product): ProductView {
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
