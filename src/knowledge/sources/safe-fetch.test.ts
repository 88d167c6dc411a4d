import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { isPublicAddress, type Resolver } from './address-policy.ts';
import { readSitemap, readSource, type ReadLimits } from './read.ts';

// Every server here listens on loopback, and every name resolves through `resolver`: no traffic leaves the machine.

interface TestSite {
  port: number;
  /** Connections the server accepted: a refused fetch must leave this at zero. */
  connections: number;
  close(): Promise<void>;
}

async function site(
  host: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<TestSite> {
  const server = http.createServer(handler);
  const result = { port: 0, connections: 0, close: async () => {} };
  server.on('connection', () => result.connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  result.port = (server.address() as AddressInfo).port;
  result.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return result;
}

const html = (text: string) => `<html><body><main><h1>${text}</h1><p>${text}</p></main></body></html>`;

describe('fetching URLs for ingestion', () => {
  let docs: TestSite;
  let internal: TestSite;
  let lookups: string[] = [];
  /** `docs.example.test` and `localhost` are loopback names; anything else does not exist. */
  const resolver: Resolver = async (hostname) => {
    lookups.push(hostname);
    if (hostname === 'docs.example.test') return [{ address: '127.0.0.3', family: 4 }];
    if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const limits = (allowHosts: string[] = []): ReadLimits => ({
    maxBytes: 1024 * 1024,
    fetchTimeoutMs: 2000,
    allowHosts,
    resolve: resolver,
  });
  const fetchUrl = (uri: string, l: ReadLimits = limits()) => readSource({ uri, kind: 'url' }, l);

  beforeAll(async () => {
    internal = await site('127.0.0.1', (_req, res) => res.end('internal admin page'));
    // Only on 127.0.0.3, so a fetch that reaches it connected to the address the resolver gave.
    docs = await site('127.0.0.3', (req, res) => {
      if (req.url === '/page')
        return res.writeHead(200, { 'content-type': 'text/html' }).end(html('Pairing'));
      if (req.url === '/moved') return res.writeHead(301, { location: '/page' }).end();
      if (req.url === '/to-internal') {
        return res.writeHead(302, { location: `http://127.0.0.1:${internal.port}/admin` }).end();
      }
      if (req.url === '/to-localhost') {
        return res.writeHead(307, { location: `http://localhost:${internal.port}/admin` }).end();
      }
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/gzipped') {
        return res
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(zlib.gzipSync(html('Compressed')));
      }
      if (req.url === '/hang') return;
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await docs?.close();
    await internal?.close();
  });

  it('classifies private, loopback, link-local, CGNAT, unique-local, mapped and metadata addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.9.9.9',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.255',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '::ffff:8.8.8.8',
      '224.0.0.1',
      'not-an-ip',
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111']) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
    expect(
      loadConfig({}, { PARLEY_FETCH_ALLOW_HOSTS: ' Docs.Internal , [::1],,localhost ' }).fetchAllowHosts,
    ).toEqual(['docs.internal', '::1', 'localhost']);
  });

  it('refuses a loopback address before connecting, unless the host is allowed', async () => {
    const url = `http://127.0.0.1:${internal.port}/admin`;
    await expect(fetchUrl(url)).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(
        /127\.0\.0\.1 is a private, loopback or link-local address.*not allowed/,
      ),
    });
    expect(internal.connections).toBe(0);

    const allowed = await fetchUrl(url, limits(['127.0.0.1']));
    expect(Buffer.from(allowed.bytes).toString()).toBe('internal admin page');
    expect(internal.connections).toBe(1);
    internal.connections = 0;
  });

  it('refuses a name that resolves to a loopback address before connecting', async () => {
    await expect(fetchUrl(`http://docs.example.test:${docs.port}/page`)).rejects.toMatchObject({
      message: expect.stringMatching(/docs\.example\.test is a private.*not allowed/),
    });
    expect(docs.connections).toBe(0);
  });

  it('fetches from an allowed host, connecting to the address it checked', async () => {
    lookups = [];
    const page = await fetchUrl(`http://docs.example.test:${docs.port}/moved`, limits(['docs.example.test']));
    expect(Buffer.from(page.bytes).toString()).toContain('Pairing');
    expect(page.name).toBe(`http://docs.example.test:${docs.port}/moved`);
    expect(page.contentType).toBe('text/html');
    // One lookup per request: the address checked is the one connected to, with no second lookup to rebind.
    expect(lookups).toEqual(['docs.example.test', 'docs.example.test']);

    const gzipped = await fetchUrl(
      `http://docs.example.test:${docs.port}/gzipped`,
      limits(['docs.example.test']),
    );
    expect(Buffer.from(gzipped.bytes).toString()).toContain('Compressed');
  });

  it('refuses a redirect from an allowed host to a loopback address, before connecting to it', async () => {
    const allowDocs = limits(['docs.example.test']);
    for (const path of ['/to-internal', '/to-localhost']) {
      await expect(fetchUrl(`http://docs.example.test:${docs.port}${path}`, allowDocs)).rejects.toMatchObject(
        {
          code: 'unreachable',
          message: expect.stringMatching(/(127\.0\.0\.1|localhost) is a private.*not allowed/),
        },
      );
    }
    expect(internal.connections).toBe(0);
    await expect(fetchUrl(`http://docs.example.test:${docs.port}/loop`, allowDocs)).rejects.toMatchObject({
      message: expect.stringMatching(/more than 5 redirects/),
    });
  });

  it('says the same thing for a closed port, a timeout and an unknown name', async () => {
    const closed = await site('127.0.0.1', () => {});
    const closedPort = closed.port;
    await closed.close();
    const allowAll = {
      ...limits(['127.0.0.1', 'docs.example.test', 'nowhere.example.test']),
      fetchTimeoutMs: 300,
    };
    const messages = [];
    for (const url of [
      `http://127.0.0.1:${closedPort}/`,
      `http://docs.example.test:${docs.port}/hang`,
      `http://nowhere.example.test/`,
    ]) {
      const error = await fetchUrl(url, allowAll).catch((e: Error) => e);
      messages.push((error as Error).message.replace(url, '<url>'));
    }
    expect(messages).toEqual(Array(3).fill('<url>: could not be fetched'));
  });

  it('refuses a sitemap on a loopback address', async () => {
    const url = `http://127.0.0.1:${internal.port}/sitemap.xml`;
    await expect(readSitemap(url, limits())).rejects.toMatchObject({
      message: expect.stringMatching(/not allowed/),
    });
    expect(internal.connections).toBe(0);
  });
});
