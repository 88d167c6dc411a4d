import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ExtractionError, type RawDocument } from '../extract/index.ts';
import {
  hostOf,
  isPublicAddress,
  type ResolvedAddress,
  type Resolver,
  systemResolver,
} from './address-policy.ts';

export interface SafeFetchOptions {
  maxBytes: number;
  /** For the whole fetch: every redirect and the body included. */
  timeoutMs: number;
  /** Host names (as written in URLs) the operator lets resolve to private or local addresses. */
  allowHosts?: readonly string[] | undefined;
  /** Name resolution; the system's by default. */
  resolve?: Resolver | undefined;
  maxRedirects?: number | undefined;
}

const defaultMaxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const requestHeaders = {
  'user-agent': 'Parley/0.1 (+knowledge ingestion)',
  accept: 'text/html,text/*,application/pdf,*/*',
  'accept-encoding': 'gzip, deflate, br',
};

/** Raised inside name resolution so the connection is never opened; turned into an `ExtractionError`. */
class AddressNotAllowed extends Error {
  constructor(readonly host: string) {
    super(`${host} is not an allowed address`);
  }
}

/**
 * Fetches a public web page, refusing private, loopback, link-local and metadata addresses (unless the host is
 * allowed) on the first request and on every redirect. The address that is checked is the address connected
 * to, so a DNS answer that changes between check and connect cannot slip through. Throws `ExtractionError`.
 */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<RawDocument> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const maxRedirects = options.maxRedirects ?? defaultMaxRedirects;
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(url, target, options, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (redirectStatuses.has(status) && location) {
      response.destroy();
      if (redirects >= maxRedirects) {
        throw new ExtractionError(
          'unreachable',
          `${url}: could not be fetched (more than ${maxRedirects} redirects)`,
        );
      }
      const next = URL.parse(location, target.href);
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        throw new ExtractionError(
          'unreachable',
          `${url}: could not be fetched (a redirect to an unusable address)`,
        );
      }
      target = next;
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new ExtractionError(
        'unreachable',
        `${url}: the server answered ${status} ${response.statusMessage ?? ''}`.trimEnd(),
      );
    }
    return {
      name: url,
      bytes: await readBody(url, response, options.maxBytes),
      contentType: response.headers['content-type'] ?? undefined,
    };
  }
}

/** One request, with no redirect following and no connection reuse; resolves once the headers arrive. */
async function requestOnce(
  url: string,
  target: URL,
  options: SafeFetchOptions,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const host = hostOf(target);
  const allowed = (options.allowHosts ?? []).includes(host);
  // Node connects to an IP literal without calling `lookup`, so literals are checked here.
  if (!allowed && net.isIP(host) && !isPublicAddress(host)) throw notAllowed(url, host);
  const resolve = options.resolve ?? systemResolver;
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (found) => {
        if (!allowed && found.some((a) => !isPublicAddress(a.address))) {
          return callback(new AddressNotAllowed(host), '', 4);
        }
        const usable = lookupOptions.family ? found.filter((a) => a.family === lookupOptions.family) : found;
        const first: ResolvedAddress | undefined = usable[0];
        if (!first)
          return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 4);
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
        if (lookupOptions.all) return (callback as LookupAll)(null, usable);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
  const client = target.protocol === 'https:' ? https : http;
  try {
    return await new Promise<http.IncomingMessage>((done, fail) => {
      const request = client.request(target, { headers: requestHeaders, agent: false, lookup, signal });
      request.on('response', done);
      request.on('error', fail);
      request.end();
    });
  } catch (error) {
    if (error instanceof AddressNotAllowed) throw notAllowed(url, error.host);
    // Refused, reset, timed out or unknown name alike: saying which would let URLs probe the network.
    throw new ExtractionError('unreachable', `${url}: could not be fetched`);
  }
}

type LookupAll = (error: NodeJS.ErrnoException | null, addresses: ResolvedAddress[]) => void;

function notAllowed(url: string, host: string): ExtractionError {
  return new ExtractionError(
    'unreachable',
    `${url}: could not be fetched: ${host} is a private, loopback or link-local address, which is not allowed ` +
      '(an operator can allow a host with PARLEY_FETCH_ALLOW_HOSTS)',
  );
}

/** The body, decompressed, within `maxBytes` both as sent and as decoded. */
async function readBody(url: string, response: http.IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge(url, declared, maxBytes);
  }
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  const body: Readable = decoder ? response.pipe(decoder) : response;
  if (decoder) response.on('error', (error) => decoder.destroy(error));
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of body as AsyncIterable<Buffer>) {
      size += part.byteLength;
      if (size > maxBytes) throw tooLarge(url, size, maxBytes);
      parts.push(part);
    }
  } catch (error) {
    response.destroy();
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError('unreachable', `${url}: could not be fetched (the download failed)`);
  }
  return Buffer.concat(parts);
}

/** The error for a source over the size limit. */
export function tooLarge(name: string, size: number, max: number): ExtractionError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return new ExtractionError(
    'too_large',
    `${name}: ${size > max ? `is ${mb(size)}, ` : ''}over the ${mb(max)} limit (PARLEY_MAX_FILE_MB)`,
  );
}
