import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { BackupError } from './archive-error.ts';

/**
 * The longest line a restore reads by default, in characters. A row line holds one row's columns as text; the
 * largest in practice is a document version's text, at most `PARLEY_MAX_TEXT_MB` (10 MB by default).
 */
export const defaultMaxLineChars = 64 * 1024 * 1024;

/**
 * The archive's text lines, with I/O and gzip failures turned into `BackupError`s that name the problem. Each
 * decompressed chunk is scanned once, so the time is linear in the archive's size whatever its line lengths,
 * and a line longer than `maxLineChars` is refused before it is ever joined into one string.
 */
export async function* archiveLines(
  file: string,
  maxLineChars = defaultMaxLineChars,
): AsyncGenerator<string> {
  const input = fs.createReadStream(file);
  const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
  gunzip.setEncoding('utf8');
  // Errors reach the consumer through the gunzip stream; the callback only keeps them from being unhandled.
  pipeline(input, gunzip).catch(() => {});
  // The pieces of the line being read, joined only once its end is found.
  let pieces: string[] = [];
  let length = 0;
  let lineNumber = 1;
  let started = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      started = true;
      let start = 0;
      let at: number;
      while ((at = chunk.indexOf('\n', start)) >= 0) {
        length += at - start;
        if (length > maxLineChars) throw lineTooLong(file, lineNumber, maxLineChars);
        pieces.push(chunk.slice(start, at));
        yield pieces.length === 1 ? pieces[0]! : pieces.join('');
        pieces = [];
        length = 0;
        lineNumber += 1;
        start = at + 1;
      }
      length += chunk.length - start;
      if (length > maxLineChars) throw lineTooLong(file, lineNumber, maxLineChars);
      if (start < chunk.length) pieces.push(chunk.slice(start));
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw describeReadError(file, error, started);
  } finally {
    gunzip.destroy();
  }
  if (length > 0) yield pieces.join('');
}

function lineTooLong(file: string, line: number, max: number): BackupError {
  const megabytes = Math.round(max / 1024 / 1024);
  return new BackupError(
    'line-too-long',
    `${file}: line ${line} is longer than ${megabytes} MB, more than any row Parley writes; if you trust the ` +
      'archive and it holds documents that large, raise the limit with --max-line-mb',
  );
}

function describeReadError(file: string, error: unknown, started: boolean): Error {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
    return new BackupError('unreadable', `cannot read ${file}: ${e.message}`);
  }
  if (e.code === 'Z_BUF_ERROR') {
    return new BackupError('truncated', `${file} is truncated: the compressed stream ends early`);
  }
  if (e.code === 'Z_DATA_ERROR' && !started) {
    return new BackupError('not-an-archive', `${file} is not a Parley backup (not gzip data: ${e.message})`);
  }
  if (e.code === 'Z_DATA_ERROR') {
    return new BackupError('corrupt', `${file} is corrupted: ${e.message}`);
  }
  return error as Error;
}
