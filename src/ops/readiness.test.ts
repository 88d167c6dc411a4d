import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { migrate } from '../db/migrate.ts';
import { checkReadiness } from './readiness.ts';

describe.each(backends)('readiness on %s', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend, { migrate: false });
  });
  afterAll(() => database?.destroy());

  it('is not ready while migrations are pending, and ready once they are applied', async () => {
    const before = await checkReadiness(database.db, '1.2.3');
    expect(before).toMatchObject({ status: 'not_ready', database: 'reachable', version: '1.2.3' });
    expect(before.pendingMigrations.length).toBeGreaterThan(0);
    await migrate(database.db);
    expect(await checkReadiness(database.db, '1.2.3')).toEqual({
      status: 'ready',
      database: 'reachable',
      pendingMigrations: [],
      version: '1.2.3',
    });
  });

  it('answers "unreachable" rather than failing when the database is gone', async () => {
    const gone = await createTestDatabase(backend);
    await gone.destroy();
    expect(await checkReadiness(gone.db, '1.2.3')).toEqual({
      status: 'not_ready',
      database: 'unreachable',
      pendingMigrations: [],
      version: '1.2.3',
    });
  });
});
