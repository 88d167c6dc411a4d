import { eq } from 'drizzle-orm';
import type { CompanyProfile } from '../contracts/settings.ts';
import type { Db } from '../db/client.ts';
import { settings } from '../db/schema/index.ts';

// The profile lives in `settings` under this key.
const settingsKey = 'company';

/** What the agent calls itself before anyone has set a profile. */
export const defaultCompany: CompanyProfile = { name: 'our company', tone: 'Friendly, clear and concise.' };

// The profile changes rarely (staff edit it in the console, which clears this cache on the replica it hits);
// other replicas pick a change up within this time.
const companyTtlMs = 30_000;
const companyCache = new WeakMap<Db, { value: CompanyProfile; expires: number }>();

/** The company profile the agent's instructions are built from, cached briefly per database. */
export async function companyProfile(db: Db): Promise<CompanyProfile> {
  const cached = companyCache.get(db);
  if (cached && cached.expires > Date.now()) return cached.value;
  const [row] = await db.select().from(settings).where(eq(settings.key, settingsKey));
  const value = (row?.value as CompanyProfile | undefined) ?? defaultCompany;
  companyCache.set(db, { value, expires: Date.now() + companyTtlMs });
  return value;
}

/**
 * Stores the company profile (extra fields included, as they are) and drops this process's cached copy, so
 * the next turn here already uses it.
 */
export async function saveCompanyProfile(db: Db, profile: CompanyProfile): Promise<CompanyProfile> {
  await db
    .insert(settings)
    .values({ key: settingsKey, value: profile })
    .onConflictDoUpdate({ target: settings.key, set: { value: profile, updatedAt: new Date() } });
  forgetCompanyProfile(db);
  return profile;
}

/** Drops the cached profile of this database, for writers that bypass `saveCompanyProfile`. */
export function forgetCompanyProfile(db: Db): void {
  companyCache.delete(db);
}
