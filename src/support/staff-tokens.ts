import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { iso } from '../contracts/primitives.ts';
import type { CreatedStaffToken, StaffTokenView } from '../contracts/staff-tokens.ts';
import { type Db } from '../db/client.ts';
import { staffTokens } from '../db/schema/index.ts';

/** Only a token's hash is stored, so a leaked database does not leak working tokens. */
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Created tokens start with this, which tells them apart from the configured admin token and from JWTs. */
export const staffTokenPrefix = 'ptk_';

/** Creates a staff API token; the token is returned once and only its hash is kept. */
export async function createStaffToken(db: Db, name: string): Promise<CreatedStaffToken> {
  const token = `${staffTokenPrefix}${crypto.randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(staffTokens)
    .values({ name, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
    .returning({ id: staffTokens.id });
  return { id: row!.id, token };
}

/** Every staff token, newest first, revoked ones included. */
export async function listStaffTokens(db: Db): Promise<StaffTokenView[]> {
  const rows = await db.select().from(staffTokens).orderBy(desc(staffTokens.createdAt));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  }));
}

/** Revokes a token; false if there is no token with this id. */
export async function revokeStaffToken(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(staffTokens)
    .set({ revokedAt: new Date() })
    .where(eq(staffTokens.id, id))
    .returning({ id: staffTokens.id });
  return rows.length > 0;
}

/** The live (not revoked) token with this value, marked as used now; undefined for any other value. */
export async function authenticateStaffToken(
  db: Db,
  token: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .update(staffTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(staffTokens.tokenHash, hashToken(token)), isNull(staffTokens.revokedAt)))
    .returning({ id: staffTokens.id, name: staffTokens.name });
  return row;
}
