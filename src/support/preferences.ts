import { and, asc, eq } from 'drizzle-orm';
import { type Db } from '../db/client.ts';
import { customerPreferences } from '../db/schema/index.ts';

export const maxPreferenceKeyLength = 64;
export const maxPreferenceValueLength = 500;
// Bound what one customer can store, so a chatty model (or a hostile prompt) cannot fill the table.
export const maxPreferencesPerCustomer = 50;

export type PreferenceResult = { ok: true } | { ok: false; error: string };

/** Stores (or replaces) one preference of a customer, e.g. `contact_channel` = `email`. */
export async function rememberPreference(
  db: Db,
  customerId: string,
  key: string,
  value: string,
): Promise<PreferenceResult> {
  const k = key.trim().toLowerCase().replace(/\s+/g, '_');
  const v = value.trim();
  if (!k || k.length > maxPreferenceKeyLength)
    return { ok: false, error: `key must be 1-${maxPreferenceKeyLength} characters` };
  if (!v || v.length > maxPreferenceValueLength) {
    return { ok: false, error: `value must be 1-${maxPreferenceValueLength} characters` };
  }
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ key: customerPreferences.key })
      .from(customerPreferences)
      .where(eq(customerPreferences.customerId, customerId));
    if (existing.length >= maxPreferencesPerCustomer && !existing.some((e) => e.key === k)) {
      return { ok: false, error: `at most ${maxPreferencesPerCustomer} preferences per customer` } as const;
    }
    await tx
      .insert(customerPreferences)
      .values({ customerId, key: k, value: v })
      .onConflictDoUpdate({
        target: [customerPreferences.customerId, customerPreferences.key],
        set: { value: v, updatedAt: new Date() },
      });
    return { ok: true } as const;
  });
}

/** A customer's preferences as key → value. */
export async function readPreferences(db: Db, customerId: string): Promise<Record<string, string>> {
  const rows = await db
    .select({ key: customerPreferences.key, value: customerPreferences.value })
    .from(customerPreferences)
    .where(eq(customerPreferences.customerId, customerId))
    .orderBy(asc(customerPreferences.key));
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function forgetPreference(db: Db, customerId: string, key: string): Promise<boolean> {
  const rows = await db
    .delete(customerPreferences)
    .where(and(eq(customerPreferences.customerId, customerId), eq(customerPreferences.key, key)))
    .returning({ key: customerPreferences.key });
  return rows.length > 0;
}
