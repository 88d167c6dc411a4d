import { ApiError } from './errors.ts';

// Uploaded files, read from a multipart/form-data body as it arrives. `Request.formData()` gathers the whole body,
// then copies and parses it in one piece on the event loop, and reading a file back from it copies it twice more:
// for a 12 MB document about 200 ms of CPU in one turn on a loaded 2-core machine, while nothing else is answered
// (bench/RESULTS.md, "Hostile uploads"). Read as a stream, each piece of the body is handled when it arrives, and a
// file is put together a megabyte at a time, the event loop running in between.

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadLimits {
  /** The form field that holds the files; other fields are ignored. */
  field: string;
  maxFiles: number;
  maxFileBytes: number;
}

const stepBytes = 1024 * 1024;
const maxHeaderBytes = 16 * 1024;
const crlf = Buffer.from('\r\n');
const headersEnd = Buffer.from('\r\n\r\n');

const letEventLoopRun = () => new Promise<void>((resolve) => setImmediate(resolve));

const unreadable = () => new ApiError('invalid_request', 'Send the files as multipart/form-data.');

/**
 * The files of a multipart/form-data request in the `field` field, in order. Refuses (`ApiError`) a body that is
 * not multipart, no files, more than `maxFiles`, or a file over `maxFileBytes`: from that point on the rest of the
 * body is read and dropped, so the client, still sending, gets the answer.
 */
export async function readUploadedFiles(request: Request, limits: UploadLimits): Promise<UploadedFile[]> {
  const boundary = /^multipart\/form-data\s*;.*?\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
    request.headers.get('content-type') ?? '',
  );
  if (!boundary || !request.body) throw unreadable();
  const parts = new PartReader(boundary[1] ?? boundary[2]!, limits);
  let sinceYield = 0;
  for await (const chunk of request.body) {
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    // Chunks that arrived while the event loop was busy are read back to back: give it a turn now and then.
    sinceYield += chunk.byteLength;
    if (sinceYield >= stepBytes) {
      sinceYield = 0;
      await letEventLoopRun();
    }
  }
  const files = parts.finish();
  if (files.length === 0) throw new ApiError('invalid_request', `No files in the "${limits.field}" field.`);
  const uploaded: UploadedFile[] = [];
  for (const file of files) uploaded.push({ name: file.name, bytes: await joined(file.pieces, file.size) });
  return uploaded;
}

interface FilePart {
  name: string;
  pieces: Uint8Array[];
  size: number;
}

/** The parts of one multipart body, fed a chunk at a time; keeps the file parts of the field. */
class PartReader {
  private readonly delimiter: Buffer;
  // The body as if it began with a line break, so the first boundary is found like every other.
  private pending: Buffer = crlf;
  private state: 'preamble' | 'boundary' | 'headers' | 'data' | 'done' = 'preamble';
  private part: FilePart | undefined;
  private files: FilePart[] = [];
  private refusal: ApiError | undefined;

  constructor(
    boundary: string,
    private readonly limits: UploadLimits,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      while (this.step());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Refused: keep nothing, and let the rest of the body go by.
      this.refusal = error;
      [this.state, this.part, this.files] = ['done', undefined, []];
    }
  }

  finish(): FilePart[] {
    if (this.refusal) throw this.refusal;
    if (this.state !== 'done') throw unreadable();
    return this.files;
  }

  /** Handles what `pending` allows of the current state; false when it needs more of the body. */
  private step(): boolean {
    const { pending, delimiter } = this;
    switch (this.state) {
      case 'preamble':
      case 'data': {
        const at = pending.indexOf(delimiter);
        // Without a delimiter, all but its length less one byte is data: a delimiter may straddle two chunks.
        const end = at < 0 ? Math.max(0, pending.length - delimiter.length + 1) : at;
        if (this.state === 'data') this.data(pending.subarray(0, end));
        this.pending = pending.subarray(at < 0 ? end : at + delimiter.length);
        if (at < 0) return false;
        if (this.part) this.files.push(this.part);
        this.part = undefined;
        this.state = 'boundary';
        return true;
      }
      case 'boundary':
        if (pending.length < 2) return false;
        this.state = pending[0] === 0x2d && pending[1] === 0x2d ? 'done' : 'headers';
        if (this.state === 'headers' && !pending.subarray(0, 2).equals(crlf)) throw unreadable();
        this.pending = pending.subarray(2);
        return true;
      case 'headers': {
        const at = pending.indexOf(headersEnd);
        if (at < 0 && pending.length > maxHeaderBytes) throw unreadable();
        if (at < 0) return false;
        this.startPart(pending.subarray(0, at).toString('utf8'));
        this.pending = pending.subarray(at + headersEnd.length);
        this.state = 'data';
        return true;
      }
      case 'done':
        this.pending = Buffer.alloc(0);
        return false;
    }
  }

  private startPart(headers: string): void {
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
    const filename = dispositionParam(disposition, 'filename');
    if (dispositionParam(disposition, 'name') !== this.limits.field || filename === undefined) return;
    if (this.files.length >= this.limits.maxFiles) {
      throw new ApiError('invalid_request', `Upload at most ${this.limits.maxFiles} files at a time.`);
    }
    this.part = { name: filename, pieces: [], size: 0 };
  }

  private data(piece: Buffer): void {
    const part = this.part;
    if (!part || piece.length === 0) return;
    part.size += piece.length;
    if (part.size > this.limits.maxFileBytes) {
      const megabytes = Math.round(this.limits.maxFileBytes / 1048576);
      throw new ApiError('payload_too_large', `${part.name} is larger than ${megabytes} MB.`);
    }
    part.pieces.push(piece);
  }
}

/**
 * A `key="value"` (or unquoted) parameter of a Content-Disposition header. Browsers and `fetch` write a quote and
 * line breaks in a file name as %22, %0D and %0A (HTML's form encoding), and only those are decoded, as
 * `Request.formData()` does.
 */
function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(disposition);
  if (!match) return undefined;
  if (match[1] === undefined) return match[2]!.trim();
  return match[1].replace(/%(22|0d|0a)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The pieces of a file as one array, copied a step at a time with the event loop running in between. */
async function joined(pieces: Uint8Array[], size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  let sinceYield = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
    sinceYield += piece.length;
    if (sinceYield >= stepBytes) {
      sinceYield = 0;
      await letEventLoopRun();
    }
  }
  return bytes;
}
