import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { Parser } from 'htmlparser2';
import { detectFormat, ExtractionError, type RawDocument } from '../extract/index.ts';
import type { Resolver } from './address-policy.ts';
import { safeFetch, tooLarge } from './safe-fetch.ts';

/** One thing to ingest: a file (absolute path) or a web page. */
export interface SourceRef {
  uri: string;
  /** `upload`: bytes sent to the server (the admin console), identified by `upload://<file name>`. */
  kind: 'file' | 'url' | 'upload';
  /** The uploaded bytes, for `upload` sources. */
  bytes?: Uint8Array | undefined;
  /** The folder given on the command line that this file was found in, for pruning and document types. */
  root?: string | undefined;
}

export interface ResolvedInputs {
  sources: SourceRef[];
  /** Folders walked, for `--prune`. */
  folders: string[];
  /** Inputs that could not be resolved (missing paths). */
  missing: { uri: string; error: ExtractionError }[];
  /** Files inside folders skipped because Parley cannot read their type. */
  skipped: string[];
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** Expands paths and URLs into sources: folders are walked (hidden entries skipped), files and URLs kept. */
export async function resolveInputs(inputs: string[]): Promise<ResolvedInputs> {
  const out: ResolvedInputs = { sources: [], folders: [], missing: [], skipped: [] };
  const seen = new Set<string>();
  const add = (ref: SourceRef) => {
    if (seen.has(ref.uri)) return;
    seen.add(ref.uri);
    out.sources.push(ref);
  };
  for (const input of inputs) {
    if (isUrl(input)) {
      add({ uri: new URL(input).toString(), kind: 'url' });
      continue;
    }
    const abs = path.resolve(input);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (!stat) {
      out.missing.push({
        uri: abs,
        error: new ExtractionError('not_found', `${abs}: no such file or folder`),
      });
    } else if (stat.isDirectory()) {
      out.folders.push(abs);
      for (const file of await walk(abs)) {
        if (detectFormat(file)) add({ uri: file, kind: 'file', root: abs });
        else out.skipped.push(file);
      }
    } else {
      add({ uri: abs, kind: 'file' });
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

export interface ReadLimits {
  maxBytes: number;
  fetchTimeoutMs: number;
  /**
   * Hosts whose URLs may reach private, loopback or link-local addresses (`PARLEY_FETCH_ALLOW_HOSTS`); every
   * other URL, and every redirect, must resolve to public addresses.
   */
  allowHosts?: readonly string[] | undefined;
  /** Name resolution for URLs; the system's by default (tests inject their own). */
  resolve?: Resolver | undefined;
}

/** Reads a source's bytes within the size limit; throws `ExtractionError` for missing, oversized or unreachable. */
export async function readSource(ref: SourceRef, limits: ReadLimits): Promise<RawDocument> {
  if (ref.kind === 'upload') {
    const bytes = ref.bytes ?? new Uint8Array();
    if (bytes.length > limits.maxBytes) throw tooLarge(ref.uri, bytes.length, limits.maxBytes);
    // A copy: extractors may consume the buffer they are given (unpdf empties it).
    return { name: ref.uri, bytes: new Uint8Array(bytes) };
  }
  return ref.kind === 'url' ? fetchUrl(ref.uri, limits) : readFile(ref.uri, limits.maxBytes);
}

async function readFile(file: string, maxBytes: number): Promise<RawDocument> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new ExtractionError('not_found', `${file}: no such file`);
  if (stat.size > maxBytes) throw tooLarge(file, stat.size, maxBytes);
  return { name: file, bytes: new Uint8Array(await fs.readFile(file)) };
}

function fetchUrl(url: string, limits: ReadLimits): Promise<RawDocument> {
  return safeFetch(url, {
    maxBytes: limits.maxBytes,
    timeoutMs: limits.fetchTimeoutMs,
    allowHosts: limits.allowHosts,
    resolve: limits.resolve,
  });
}

/** Sitemaps nested deeper than this (an index of indexes of indexes) are not followed. */
const maxSitemapDepth = 3;
/** The sitemap protocol's own limit per file; also caps what one sitemap index may expand to. */
const maxSitemapUrls = 50_000;

/** Whether a URL names a sitemap by the usual conventions (`.xml`, `.xml.gz`). */
export function looksLikeSitemap(url: string): boolean {
  return isUrl(url) && /\.xml(\.gz)?$/i.test(new URL(url).pathname);
}

/**
 * The page URLs a sitemap lists (its `<url><loc>` entries), following sitemap indexes and gzipped sitemaps.
 * Throws `ExtractionError` when the sitemap cannot be fetched or is not a sitemap.
 */
export async function readSitemap(url: string, limits: ReadLimits): Promise<string[]> {
  const pages = new Set<string>();
  const visited = new Set<string>();
  const visit = async (sitemapUrl: string, depth: number): Promise<void> => {
    if (visited.has(sitemapUrl) || depth > maxSitemapDepth) return;
    visited.add(sitemapUrl);
    const entries = parseSitemap(sitemapUrl, await fetchUrl(sitemapUrl, limits), limits.maxBytes);
    for (const page of entries.pages) {
      if (pages.size >= maxSitemapUrls) return;
      pages.add(page);
    }
    for (const child of entries.sitemaps) await visit(child, depth + 1);
  };
  await visit(new URL(url).toString(), 0);
  return [...pages];
}

function parseSitemap(url: string, raw: RawDocument, maxBytes: number) {
  let bytes: Uint8Array = raw.bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      throw new ExtractionError(
        'corrupt',
        `${url}: the gzipped sitemap cannot be read (${(error as Error).message})`,
      );
    }
  }
  const out = { root: '', pages: [] as string[], sitemaps: [] as string[] };
  const stack: string[] = [];
  let text = '';
  const parser = new Parser(
    {
      onopentag(name) {
        const local = name.replace(/^.*:/, '').toLowerCase();
        if (stack.length === 0) out.root = local;
        stack.push(local);
        text = '';
      },
      ontext(chunk) {
        text += chunk;
      },
      onclosetag() {
        const [parent, tag] = stack.slice(-2);
        stack.pop();
        if (tag !== 'loc' || !isUrl(text.trim())) return;
        const loc = new URL(text.trim()).toString();
        if (parent === 'url') out.pages.push(loc);
        else if (parent === 'sitemap') out.sitemaps.push(loc);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(Buffer.from(bytes).toString('utf8'));
  if (out.root !== 'urlset' && out.root !== 'sitemapindex') {
    throw new ExtractionError('corrupt', `${url}: not a sitemap (expected <urlset> or <sitemapindex>)`);
  }
  return out;
}
