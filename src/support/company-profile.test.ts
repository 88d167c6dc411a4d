import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { companyProfile, defaultCompany, saveCompanyProfile } from './company-profile.ts';

describe.each(backends)('company profile on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  it('falls back to the default profile until one is saved', async () => {
    expect(await companyProfile(database.db)).toEqual(defaultCompany);
  });

  it('reads a saved profile back at once, extra fields included, and replaces it on the next save', async () => {
    const kestrel = { name: 'Kestrel', tone: 'Warm.', website: 'https://kestrel.example' };
    expect(await saveCompanyProfile(database.db, kestrel)).toEqual(kestrel);
    // The read above cached the default: saving must not leave this process with the stale copy.
    expect(await companyProfile(database.db)).toEqual(kestrel);
    await saveCompanyProfile(database.db, { name: 'Kestrel Electronics' });
    expect(await companyProfile(database.db)).toEqual({ name: 'Kestrel Electronics' });
  });
});
