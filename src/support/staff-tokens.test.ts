import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import {
  authenticateStaffToken,
  createStaffToken,
  listStaffTokens,
  revokeStaffToken,
} from './staff-tokens.ts';

describe.each(backends)('staff tokens on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('shows a new token once and lists only its prefix', async () => {
    const created = await createStaffToken(database.db, 'support desk');
    expect(created.token).toMatch(/^ptk_[\w-]{32}$/);
    const [listed] = await listStaffTokens(database.db);
    expect(listed).toMatchObject({
      id: created.id,
      name: 'support desk',
      prefix: created.token.slice(0, 10),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('authenticates live tokens, records their use, and refuses revoked and unknown ones', async () => {
    const { id, token } = await createStaffToken(database.db, 'ci');
    expect(await authenticateStaffToken(database.db, token)).toEqual({ id, name: 'ci' });
    const used = (await listStaffTokens(database.db)).find((t) => t.id === id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(await authenticateStaffToken(database.db, `${token}x`)).toBeUndefined();

    expect(await revokeStaffToken(database.db, id)).toBe(true);
    expect(await authenticateStaffToken(database.db, token)).toBeUndefined();
    expect((await listStaffTokens(database.db)).find((t) => t.id === id)!.revokedAt).not.toBeNull();
    expect(await revokeStaffToken(database.db, crypto.randomUUID())).toBe(false);
  });
});
