import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { readUploadedFiles } from './multipart.ts';

const limits = { field: 'files', maxFiles: 3, maxFileBytes: 1024 * 1024 };

/** A multipart body as `fetch` would send it, and its content type. */
async function encoded(form: FormData): Promise<{ body: Uint8Array; type: string }> {
  const request = new Request('http://parley.test/', { method: 'POST', body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

/** A request whose body arrives in pieces of `size` bytes, all available at once. */
function inPieces(
  body: Uint8Array,
  type: string,
  size: number,
): { request: Request; drained: () => boolean } {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      controller.enqueue(body.slice(offset, offset + size));
      offset += size;
    },
  });
  const request = new Request('http://parley.test/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { request, drained: () => offset >= body.length };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('reading uploaded files from a multipart body', () => {
  // Bytes that look like the body's own syntax: line breaks, dashes, a boundary-like line.
  const binary = new Uint8Array([13, 10, 45, 45, 13, 10, 13, 10, 0, 255, 45, 45, 13, 10, 45]);
  const form = new FormData();
  form.append('note', 'a text field, not a file');
  form.append('files', new File(['# Gift cards\n\nThey never expire.\r\n--\r\n'], 'gift-cards.md'));
  form.append('other', new File(['not in the files field'], 'other.txt'));
  form.append('files', new File([binary], 'Résumé "final"\n🎧 %41.bin'));
  form.append('files', new File([], 'empty.txt'));

  it('gives back each file of the field, name and bytes exact, however the body is cut', async () => {
    const { body, type } = await encoded(form);
    const expected = [
      {
        name: 'gift-cards.md',
        bytes: new TextEncoder().encode('# Gift cards\n\nThey never expire.\r\n--\r\n'),
      },
      { name: 'Résumé "final"\n🎧 %41.bin', bytes: binary },
      { name: 'empty.txt', bytes: new Uint8Array() },
    ];
    for (const size of [1, 2, 3, 7, 41, 64, 1000, body.length]) {
      const files = await readUploadedFiles(inPieces(body, type, size).request, limits);
      expect(files.map((f) => ({ name: f.name, bytes: [...f.bytes] }))).toEqual(
        expected.map((f) => ({ name: f.name, bytes: [...f.bytes] })),
      );
    }
  });

  it('lets the event loop run while a large body is read and put together', async () => {
    const large = new FormData();
    large.append('files', new File([new Uint8Array(6 * 1024 * 1024).fill(97)], 'large.txt'));
    const { body, type } = await encoded(large);
    let turns = 0;
    let reading = true;
    const count = () => {
      if (!reading) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const [file] = await readUploadedFiles(inPieces(body, type, 64 * 1024).request, {
      ...limits,
      maxFileBytes: 8 * 1024 * 1024,
    });
    reading = false;
    expect(file!.bytes.length).toBe(6 * 1024 * 1024);
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('refuses a file over the limit, and reads the rest of the body so the client gets the answer', async () => {
    const big = new FormData();
    big.append('files', new File([new Uint8Array(limits.maxFileBytes + 1)], 'big.md'));
    big.append('files', new File(['small'], 'small.md'));
    const { body, type } = await encoded(big);
    const { request, drained } = inPieces(body, type, 4096);
    const error = await refusal(readUploadedFiles(request, limits));
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toBe('big.md is larger than 1 MB.');
    expect(drained()).toBe(true);
  });

  it('refuses too many files, no files, a body that is not multipart and a truncated one', async () => {
    const many = new FormData();
    for (let i = 0; i < 4; i++) many.append('files', new File(['x'], `${i}.md`));
    const none = new FormData();
    none.append('note', 'no files here');
    const cases = [
      { form: many, message: 'Upload at most 3 files at a time.' },
      { form: none, message: 'No files in the "files" field.' },
    ];
    for (const { form: body, message } of cases) {
      const { body: bytes, type } = await encoded(body);
      const error = await refusal(readUploadedFiles(inPieces(bytes, type, 100).request, limits));
      expect([error.code, error.message]).toEqual(['invalid_request', message]);
    }
    const json = new Request('http://parley.test/', { method: 'POST', body: '{"files":[]}' });
    expect((await refusal(readUploadedFiles(json, limits))).code).toBe('invalid_request');
    const { body, type } = await encoded(form);
    const truncated = inPieces(body.subarray(0, body.length - 10), type, 100).request;
    expect((await refusal(readUploadedFiles(truncated, limits))).code).toBe('invalid_request');
  });
});
