import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { z } from 'zod';
import { BackupError } from './archive-error.ts';
import { archiveLines, defaultMaxLineChars } from './archive-lines.ts';
import { ArchiveMac, ArchiveSignature, keyIdOf, type SignatureState } from './signature.ts';
import { TableDigest } from './tables.ts';

export { BackupError, type BackupProblem, backupProblems } from './archive-error.ts';

/**
 * The archive: gzip'd JSON Lines. The first line is the header (format, versions, schema, embedding space,
 * each table's columns); then, for each table in a foreign-key-safe order, a `{"table": name}` line followed by
 * one line per row (a JSON array of the columns' text forms, in primary-key order); the last line is the
 * summary with each table's row count and SHA-256 over its row lines and, when a key signed it, an HMAC over
 * every line before the summary (signature.ts). Header and summary make the manifest.
 */
export const archiveFormat = 'parley-backup';
export const archiveVersion = 1;

const space = z.object({ model: z.string(), dimensions: z.number().int().positive() });

const headerSchema = z.object({
  format: z.literal(archiveFormat),
  version: z.number().int().positive(),
  parleyVersion: z.string(),
  createdAt: z.string(),
  source: z.object({ backend: z.enum(['pglite', 'postgres']), postgres: z.string() }),
  migrations: z.array(z.string()),
  embedding: space.nullable(),
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
    }),
  ),
});
export type ArchiveHeader = z.infer<typeof headerSchema>;

const tableSum = z.object({
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const summarySchema = z.object({
  end: z.object({ tables: z.record(z.string(), tableSum), signature: ArchiveSignature.optional() }),
});
export type TableSum = z.infer<typeof tableSum>;

/** What an archive holds: its header, each table's row count and checksum, and whether its origin is known. */
export interface Manifest extends Omit<ArchiveHeader, 'tables'> {
  tables: (ArchiveHeader['tables'][number] & TableSum)[];
  signature: SignatureState;
}

export interface ReadOptions {
  /** `PARLEY_BACKUP_KEY`: a signed archive must carry its signature, and an unsigned one is refused. */
  key?: string | undefined;
  /** Accept an unsigned archive although a key is configured. */
  allowUnsigned?: boolean | undefined;
  /** Longest line accepted, in characters; see `defaultMaxLineChars`. */
  maxLineChars?: number | undefined;
}

/** Writes lines to `file` through gzip, atomically: a failed backup leaves no file, or the previous one. */
export async function writeArchive(file: string, chunks: AsyncIterable<string>): Promise<number> {
  const partial = `${file}.partial`;
  try {
    // 0600: the archive holds customer data. Level 3 compresses twice as fast as the default 6 for about 11 %
    // more bytes (bench/RESULTS.md); at level 6 gzip took most of a backup's time.
    await pipeline(
      Readable.from(chunks),
      zlib.createGzip({ level: 3 }),
      fs.createWriteStream(partial, { mode: 0o600 }),
    );
    const handle = await fsp.open(partial, 'r+');
    await handle.sync();
    await handle.close();
    await fsp.rename(partial, file);
  } catch (error) {
    await fsp.rm(partial, { force: true });
    throw error;
  }
  return (await fsp.stat(file)).size;
}

export type ArchiveEntry =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'table'; name: string }
  | { kind: 'row'; table: string; line: string }
  | { kind: 'end'; manifest: Manifest };

/**
 * Reads an archive as entries, checking its structure, format version, and every table's count and checksum
 * against the summary as it goes; the `end` entry comes only when all of that holds. A consumer that writes
 * what it reads must do so in a transaction and roll it back if this throws.
 */
export async function* readArchive(file: string, options: ReadOptions = {}): AsyncGenerator<ArchiveEntry> {
  const mac = options.key ? new ArchiveMac(options.key) : undefined;
  let header: ArchiveHeader | undefined;
  let table = -1;
  let digest: TableDigest | undefined;
  const sums: TableSum[] = [];
  let ended = false;
  for await (const line of archiveLines(file, options.maxLineChars ?? defaultMaxLineChars)) {
    if (!header) {
      header = parseHeader(file, line);
      mac?.add(line);
      yield { kind: 'header', header };
    } else if (ended) {
      throw new BackupError('corrupt', `${file} is corrupted: data after the end of the archive`);
    } else if (line.startsWith('[')) {
      if (!digest) throw new BackupError('corrupt', `${file} is corrupted: a row before any table`);
      digest.add(line);
      mac?.add(line);
      yield { kind: 'row', table: header.tables[table]!.name, line };
    } else {
      const control = parseLine(file, line) as { table?: unknown; end?: unknown };
      if (digest) sums.push(digest.result());
      if (typeof control.table === 'string') {
        table += 1;
        if (header.tables[table]?.name !== control.table) {
          throw new BackupError('corrupt', `${file} is corrupted: unexpected table section ${control.table}`);
        }
        digest = new TableDigest();
        mac?.add(line);
        yield { kind: 'table', name: control.table };
      } else {
        const summary = summarySchema.safeParse(control);
        if (!summary.success) throw new BackupError('corrupt', `${file} is corrupted: unrecognised line`);
        ended = true;
        digest = undefined;
        const manifest = checkSummary(file, header, sums, summary.data.end.tables);
        const signature = checkSignature(file, summary.data.end.signature, mac, options);
        yield { kind: 'end', manifest: { ...manifest, signature } };
      }
    }
  }
  if (!header) throw new BackupError('not-an-archive', `${file} is empty: not a Parley backup`);
  if (!ended) throw new BackupError('truncated', `${file} is truncated: it ends before its summary`);
}

function parseLine(file: string, line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new BackupError('corrupt', `${file} is corrupted: a line is not valid JSON`);
  }
}

function parseHeader(file: string, line: string): ArchiveHeader {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new BackupError('not-an-archive', `${file} is not a Parley backup (no header line)`);
  }
  const tag = json as { format?: unknown; version?: unknown };
  if (tag?.format !== archiveFormat) {
    throw new BackupError('not-an-archive', `${file} is not a Parley backup (no "${archiveFormat}" header)`);
  }
  if (typeof tag.version === 'number' && tag.version > archiveVersion) {
    throw new BackupError(
      'newer-version',
      `${file} is format version ${tag.version}, newer than this Parley reads (${archiveVersion}); ` +
        'restore it with the Parley version that made it, or a newer one',
    );
  }
  const header = headerSchema.safeParse(json);
  if (!header.success) {
    throw new BackupError('corrupt', `${file} has a malformed header: ${header.error.issues[0]?.message}`);
  }
  return header.data;
}

/** Checks the signature against the key, or applies the policy for archives nobody can vouch for. */
function checkSignature(
  file: string,
  signature: ArchiveSignature | undefined,
  mac: ArchiveMac | undefined,
  options: ReadOptions,
): SignatureState {
  if (!signature) {
    if (mac && !options.allowUnsigned) {
      throw new BackupError(
        'unsigned',
        `${file} is not signed, and PARLEY_BACKUP_KEY is set: anyone able to write the file could have ` +
          'changed its contents (a staff token, say). Restore it only if you know where it came from, ' +
          'with --allow-unsigned',
      );
    }
    return 'unsigned';
  }
  if (!mac) return 'unchecked';
  if (signature.keyId !== keyIdOf(options.key!)) {
    throw new BackupError(
      'bad-signature',
      `${file} was signed with a different key than PARLEY_BACKUP_KEY; set the key that signed it`,
    );
  }
  if (!mac.matches(signature)) {
    throw new BackupError(
      'bad-signature',
      `${file} does not match its signature: it was changed after it was made; nothing was restored`,
    );
  }
  return 'verified';
}

function checkSummary(
  file: string,
  header: ArchiveHeader,
  sums: TableSum[],
  expected: Record<string, TableSum>,
): Omit<Manifest, 'signature'> {
  if (sums.length !== header.tables.length || Object.keys(expected).length !== header.tables.length) {
    throw new BackupError('corrupt', `${file} is corrupted: its tables do not match its header`);
  }
  const tables = header.tables.map((t, i) => {
    const want = expected[t.name];
    const got = sums[i]!;
    if (!want || want.rows !== got.rows || want.sha256 !== got.sha256) {
      throw new BackupError(
        'corrupt',
        `${file} is corrupted: table ${t.name} has ${got.rows} rows with checksum ${got.sha256.slice(0, 12)}…, ` +
          `the manifest says ${want?.rows ?? '?'} with ${want?.sha256.slice(0, 12) ?? '?'}…`,
      );
    }
    return { ...t, ...got };
  });
  return { ...header, tables };
}

/** Reads the whole archive and checks it; returns its manifest, or throws a `BackupError` naming the problem. */
export async function verifyArchive(file: string, options: ReadOptions = {}): Promise<Manifest> {
  let manifest: Manifest | undefined;
  // Read to the very end: trailing data and gzip's own CRC are checked after the summary line.
  for await (const entry of readArchive(file, options)) if (entry.kind === 'end') manifest = entry.manifest;
  return manifest!;
}
