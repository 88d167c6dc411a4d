import { asc, eq, ilike, or } from 'drizzle-orm';
import { iso, type Paging } from '../contracts/primitives.ts';
import type { CustomerDetail, CustomerView } from '../contracts/customers.ts';
import { type Db } from '../db/client.ts';
import { type Customer, customers } from '../db/schema/index.ts';
import { listConversations } from './conversations.ts';
import { listOrders, listOwnedProducts } from './orders.ts';
import { readPreferences } from './preferences.ts';

/** A customer as the agent and staff see them; internal ids stay inside Parley. */
export interface CustomerProfile {
  id: string;
  email: string | null;
  name: string | null;
  plan: string | null;
  customerSince: string;
  details: Record<string, unknown>;
}

/** Finds a customer by their external id or email (case-insensitive). */
export async function findCustomer(db: Db, idOrEmail: string): Promise<Customer | undefined> {
  const ref = idOrEmail.trim();
  if (!ref) return undefined;
  const [row] = await db
    .select()
    .from(customers)
    .where(or(eq(customers.externalId, ref), eq(customers.email, ref.toLowerCase())))
    .limit(1);
  return row;
}

/** The profile of one customer, by internal id (as held by an authenticated session). */
export async function getCustomerProfile(db: Db, customerId: string): Promise<CustomerProfile | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  return row ? toProfile(row) : undefined;
}

export function toProfile(row: Customer): CustomerProfile {
  return {
    id: row.externalId,
    email: row.email,
    name: row.name,
    plan: row.plan,
    customerSince: (row.metadata.createdAt as string | undefined) ?? row.createdAt.toISOString().slice(0, 10),
    details: row.metadata,
  };
}

/** The customer a host site refers to by its own id: who a signed identity belongs to. */
export async function findCustomerByExternalId(
  db: Db,
  externalId: string,
): Promise<{ id: string; externalId: string; name: string | null } | undefined> {
  const [row] = await db
    .select({ id: customers.id, externalId: customers.externalId, name: customers.name })
    .from(customers)
    .where(eq(customers.externalId, externalId));
  return row;
}

/** Customers whose name, email or external id contains `q` (all without it), by name. */
export async function listCustomers(db: Db, { q, limit, offset }: Paging): Promise<CustomerView[]> {
  const pattern = `%${q ?? ''}%`;
  const rows = await db
    .select()
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
  return rows.map(customerView);
}

// The customer page shows this many of the latest orders and conversations.
const detailLimit = 50;

/** A customer with their orders, owned products, preferences and conversations: the staff customer page. */
export async function getCustomerDetail(db: Db, customerId: string): Promise<CustomerDetail | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!row) return undefined;
  const [orders, products, preferences, conversations] = await Promise.all([
    listOrders(db, row.id, detailLimit),
    listOwnedProducts(db, row.id),
    readPreferences(db, row.id),
    listConversations(db, { customerId: row.id, limit: detailLimit }),
  ]);
  return {
    customer: customerView(row),
    orders,
    products,
    preferences,
    conversations: conversations.map((v) => ({
      ...v,
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    })),
  };
}

function customerView(c: Customer): CustomerView {
  return {
    id: c.id,
    externalId: c.externalId,
    email: c.email,
    name: c.name,
    plan: c.plan,
    createdAt: iso(c.createdAt),
  };
}
