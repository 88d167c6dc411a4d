import { describe, expect, it } from 'vitest';
import { planTestDatabase } from './postgres-plan.ts';

const url = 'postgres://postgres:secret@127.0.0.1:5432/parley_test';
const root = { canRunSetupScript: true };
const user = { canRunSetupScript: false };

describe('planTestDatabase', () => {
  it('creates the missing database and the extension when pgvector is installed', () => {
    const probe = { reachable: true, vectorAvailable: true, databaseExists: false } as const;
    expect(planTestDatabase(url, probe, user)).toEqual({ action: 'create', database: true });
    expect(planTestDatabase(url, { ...probe, databaseExists: true }, user)).toEqual({
      action: 'create',
      database: false,
    });
  });

  it('runs the setup script for a missing pgvector where it can, and otherwise says to', () => {
    const probe = { reachable: true, vectorAvailable: false, databaseExists: false } as const;
    expect(planTestDatabase(url, probe, root)).toEqual({ action: 'run-setup-script' });
    const step = planTestDatabase(url, probe, user);
    expect(step.action).toBe('fail');
    const message = (step as { message: string }).message;
    expect(message).toMatch(/lacks the pgvector extension: run `sudo bash scripts\/setup-postgres.sh`/);
    expect(message).not.toMatch(/\n/);
  });

  it('fails with one line, without the password, when the server is not reachable', () => {
    const step = planTestDatabase(url, { reachable: false, reason: 'ECONNREFUSED' }, root);
    expect(step.action).toBe('fail');
    const message = (step as { message: string }).message;
    expect(message).toMatch(
      /^Tests need a Postgres server at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432/,
    );
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toMatch(/secret|\n/);
  });
});
