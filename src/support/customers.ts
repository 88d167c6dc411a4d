import { eq, or } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { type Customer, customers } from '../db/schema/index.ts';

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
