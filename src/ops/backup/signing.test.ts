import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { queryRows } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import { createStaffToken } from '../../support/staff-tokens.ts';
import { configuredSecrets, createRedactor } from '../redact.ts';
import { loadConfig } from '../../config.ts';
import { BackupError, type BackupProblem, createBackup, restoreBackup, verifyArchive } from './backup.ts';
import { TableDigest } from './tables.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-signing-'));
const file = (name: string) => path.join(dir, name);
const key = 'backup-key-0123456789abcdef';

async function refusal(promise: Promise<unknown>): Promise<{ code: BackupProblem; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

/**
 * What an attacker with write access to the file does: edit lines, then recompute every checksum so the
 * archive is self-consistent again. The signature is kept as it was (or dropped), since only the key makes one.
 */
function reseal(from: string, to: string, edit: (lines: string[]) => string[], keepSignature = true): void {
  const lines = edit(zlib.gunzipSync(fs.readFileSync(from)).toString('utf8').trimEnd().split('\n'));
  const summary = JSON.parse(lines.at(-1)!) as { end: { signature?: unknown } };
  const digests: Record<string, TableDigest> = {};
  let current = '';
  for (const line of lines.slice(1, -1)) {
    if (line.startsWith('[')) digests[current]!.add(line);
    else digests[(current = (JSON.parse(line) as { table: string }).table)] = new TableDigest();
  }
  const tables = Object.fromEntries(Object.entries(digests).map(([name, d]) => [name, d.result()]));
  const signature = keepSignature ? summary.end.signature : undefined;
  lines[lines.length - 1] = JSON.stringify({ end: { tables, ...(signature ? { signature } : {}) } });
  fs.writeFileSync(to, zlib.gzipSync(`${lines.join('\n')}\n`));
}

/** Adds a staff token row whose token the attacker knows, copied from an existing row's shape. */
function plantStaffToken(lines: string[], token: string): string[] {
  const section = lines.indexOf(JSON.stringify({ table: 'staff_tokens' }));
  const row = JSON.parse(lines[section + 1]!) as (string | null)[];
  const planted = [...row];
  planted[0] = crypto.randomUUID();
  planted[1] = 'planted';
  planted[2] = crypto.createHash('sha256').update(token).digest('hex');
  return [...lines.slice(0, section + 1), JSON.stringify(planted), ...lines.slice(section + 1)];
}

describe('signed backups', () => {
  let source: TestDatabase;
  const targets: TestDatabase[] = [];
  const emptyTarget = async () => {
    const database = await createTestDatabase('pglite', { migrate: false });
    targets.push(database);
    return database;
  };
  const plantedToken = 'ptk_planted_by_whoever_edited_the_file';
  const leakedKey = 'sk-live-echoed-by-the-provider-0123456789';

  beforeAll(async () => {
    source = await createTestDatabase('pglite');
    await createStaffToken(source.db, 'ops');
    await source.db.insert(schema.errors).values({
      fingerprint: 'f1',
      message: `401: Incorrect API key provided: ${leakedKey}`,
      context: { source: 'request' },
    });
    await createBackup(source, file('signed.jsonl.gz'), { key });
    await createBackup(source, file('unsigned.jsonl.gz'));
  });
  afterAll(async () => {
    await Promise.all([source, ...targets].map((d) => d?.destroy()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs with the key and restores what the signature vouches for', async () => {
    expect((await verifyArchive(file('signed.jsonl.gz'), { key })).signature).toBe('verified');
    expect((await verifyArchive(file('signed.jsonl.gz'))).signature).toBe('unchecked');
    expect((await verifyArchive(file('unsigned.jsonl.gz'))).signature).toBe('unsigned');
    const target = await emptyTarget();
    const report = await restoreBackup(target.db, file('signed.jsonl.gz'), { key });
    expect(report.manifest.signature).toBe('verified');
    expect((await target.db.select({ n: count() }).from(schema.staffTokens))[0]!.n).toBe(1);
  });

  it('refuses a re-sealed archive that plants a staff token, leaving the target untouched', async () => {
    reseal(file('signed.jsonl.gz'), file('resealed.gz'), (lines) => plantStaffToken(lines, plantedToken));
    const target = await emptyTarget();
    const error = await refusal(restoreBackup(target.db, file('resealed.gz'), { key }));
    expect(error.code).toBe('bad-signature');
    expect(error.message).toMatch(/does not match its signature: it was changed after it was made/);
    // Refused before anything was written: not even the migrations ran.
    const [ledger] = await queryRows<{ t: string | null }>(
      target.db,
      sql`SELECT to_regclass('parley_migrations')::text AS t`,
    );
    expect(ledger!.t).toBeNull();

    // Dropping the signature does not help: with a key configured, unsigned archives are refused.
    reseal(
      file('signed.jsonl.gz'),
      file('stripped.gz'),
      (lines) => plantStaffToken(lines, plantedToken),
      false,
    );
    const stripped = await refusal(restoreBackup(target.db, file('stripped.gz'), { key }));
    expect(stripped.code).toBe('unsigned');
    expect(stripped.message).toMatch(/is not signed, and PARLEY_BACKUP_KEY is set.*--allow-unsigned/);
  });

  it('refuses an archive signed with another key, and takes an unsigned one only when allowed', async () => {
    const target = await emptyTarget();
    const other = await refusal(restoreBackup(target.db, file('signed.jsonl.gz'), { key: `${key}-new` }));
    expect(other).toMatchObject({ code: 'bad-signature', message: expect.stringMatching(/a different key/) });
    await refusal(restoreBackup(target.db, file('unsigned.jsonl.gz'), { key }));
    const allowed = await restoreBackup(target.db, file('unsigned.jsonl.gz'), { key, allowUnsigned: true });
    expect(allowed.manifest.signature).toBe('unsigned');
  });

  it('blanks configured secrets in the archive', async () => {
    const config = loadConfig({}, { OPENAI_API_KEY: leakedKey, PARLEY_BACKUP_KEY: key });
    const redact = createRedactor(configuredSecrets(config), { knownShapes: false });
    await createBackup(source, file('redacted.jsonl.gz'), { key, redact });
    const text = zlib.gunzipSync(fs.readFileSync(file('redacted.jsonl.gz'))).toString('utf8');
    expect(text).not.toContain(leakedKey);
    expect(text).toContain('Incorrect API key provided: [redacted]');
    expect(zlib.gunzipSync(fs.readFileSync(file('unsigned.jsonl.gz'))).toString('utf8')).toContain(leakedKey);
    // The checksums and signature cover the redacted rows, so the archive restores as it is.
    expect((await verifyArchive(file('redacted.jsonl.gz'), { key })).signature).toBe('verified');
  });

  it('refuses a small archive holding one huge line quickly, with a clear error', async () => {
    // Gzip members concatenate: one header line, then 200 MB of one line from a few hundred kB on disk.
    const header = zlib
      .gunzipSync(fs.readFileSync(file('signed.jsonl.gz')))
      .toString('utf8')
      .split('\n')[0]!;
    const megabyte = zlib.gzipSync(Buffer.alloc(1024 * 1024, 'x'), { level: 9 });
    fs.writeFileSync(
      file('huge-line.gz'),
      Buffer.concat([zlib.gzipSync(`${header}\n{"table":"customers"}\n[`), ...Array(200).fill(megabyte)]),
    );
    expect(fs.statSync(file('huge-line.gz')).size).toBeLessThan(1024 * 1024);
    const started = performance.now();
    const error = await refusal(verifyArchive(file('huge-line.gz')));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error.code).toBe('line-too-long');
    expect(error.message).toMatch(/huge-line\.gz: line 3 is longer than 64 MB.*--max-line-mb/);

    const small = await refusal(verifyArchive(file('signed.jsonl.gz'), { key, maxLineChars: 64 }));
    expect(small.message).toMatch(/line 1 is longer than 0 MB/);
  });

  it('runs as `parley restore`: warns about unsigned archives and refuses them when a key is set', async () => {
    const bin = path.resolve(import.meta.dirname, '../../../bin/parley.js');
    const run = async (env: Record<string, string>, ...args: string[]) => {
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !['DATABASE_URL', 'OPENAI_API_KEY', 'PARLEY_DATA_DIR', 'PARLEY_BACKUP_KEY'].includes(k),
        ),
      );
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
          env: { ...clean, ...env },
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        return error as { code: number; stdout: string; stderr: string };
      }
    };
    const refused = await run(
      { PARLEY_BACKUP_KEY: key },
      'restore',
      file('unsigned.jsonl.gz'),
      '--data-dir',
      file('never-created'),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not signed, and PARLEY_BACKUP_KEY is set/);
    expect(fs.existsSync(file('never-created'))).toBe(false);

    const warned = await run({}, 'restore', file('unsigned.jsonl.gz'), '--data-dir', file('cli-data'));
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/warning: .*unsigned\.jsonl\.gz is not signed/);

    const signed = await run(
      { PARLEY_BACKUP_KEY: key },
      'backup',
      file('cli-signed.jsonl.gz'),
      '--data-dir',
      file('cli-data'),
    );
    expect(signed.stdout).toMatch(/, signed\)/);
    expect((await verifyArchive(file('cli-signed.jsonl.gz'), { key })).signature).toBe('verified');
  }, 120_000);
});
