import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { fingerprintOf, listErrors, recordError, resolveError } from './error-tracking.ts';

function failAt(id: string): Error {
  try {
    throw new Error(`Order ${id} has no row 42`);
  } catch (error) {
    return error as Error;
  }
}

describe('fingerprints', () => {
  it('group errors that differ only in ids and numbers, and split different messages', () => {
    expect(fingerprintOf(failAt('KE-1'))).toBe(fingerprintOf(failAt('KE-999')));
    expect(fingerprintOf(new Error('disk full'))).not.toBe(fingerprintOf(new Error('connection reset')));
    expect(fingerprintOf(new TypeError('x'))).not.toBe(fingerprintOf(new RangeError('x')));
  });
});

describe.each(backends)('error tracking (%s)', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database.destroy());

  it('counts repeats, keeps first and last seen, and reopens a resolved error that recurs', async () => {
    await recordError(database.db, failAt('KE-1'), { source: 'request', requestId: 'req-1' });
    await recordError(database.db, failAt('KE-2'), { source: 'request', requestId: 'req-2' });
    let [row] = await listErrors(database.db);
    expect(row).toMatchObject({ count: 2, status: 'open', sampleRequestId: 'req-2' });
    expect(row!.lastSeen.getTime()).toBeGreaterThanOrEqual(row!.firstSeen.getTime());

    await resolveError(database.db, row!.id);
    expect(await listErrors(database.db, { status: 'open' })).toHaveLength(0);
    await recordError(database.db, failAt('KE-3'), { source: 'job' });
    [row] = await listErrors(database.db, { status: 'open' });
    expect(row).toMatchObject({ count: 3, status: 'open', resolvedAt: null });
  });

  it('keeps secrets out of the stored message and stack', async () => {
    await recordError(
      database.db,
      new Error('connect failed for postgres://parley:hunter2@db:5432/parley with Bearer ptk_abcdefghijkl'),
      { source: 'process' },
    );
    const rows = await listErrors(database.db);
    const stored = rows.find((r) => r.message.includes('connect failed'))!;
    expect(stored.message).not.toMatch(/hunter2|ptk_abcdefghijkl/);
    expect(stored.stack).not.toMatch(/hunter2/);
  });

  it('never throws, even when the database is gone', async () => {
    const gone = await createTestDatabase(backend);
    await gone.destroy();
    await expect(recordError(gone.db, new Error('x'), { source: 'request' })).resolves.toBeUndefined();
  });
});
