import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import { serveRoutes } from '../../test/support/http.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs } from './ingest.ts';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/bad');
const goodPdf = fs.readFileSync(path.join(fixtures, 'good-small.pdf'));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(backends)('bad input on %s', (backend) => {
  let database: TestDatabase;
  const embedder = new LocalEmbedder();
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database?.destroy());

  const rowCounts = async () => [
    (await database.db.select({ n: count() }).from(documents))[0]!.n,
    (await database.db.select({ n: count() }).from(documentVersions))[0]!.n,
    (await database.db.select({ n: count() }).from(chunks))[0]!.n,
  ];

  it('gives each bad file a clear error, stores nothing for it, and still ingests the good ones', async () => {
    const dir = writeTree({
      'good.md': '# Good\n\nThe hub light turns blue when online.',
      'good.pdf': goodPdf,
      'empty.md': '',
      'blank.txt': '   \n\n  \n',
      'corrupt.pdf': '%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage garbage',
      'truncated.pdf': goodPdf.subarray(0, Math.floor(goodPdf.length / 3)),
      'not-a-pdf.pdf': 'just some text pretending',
      'encrypted.pdf': fs.readFileSync(path.join(fixtures, 'encrypted.pdf')),
      'corrupt.docx': Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]),
      'junk.md': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      'latin1.txt': Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e is on the menu.\n', 'latin1'),
      'huge.md': '# Huge\n\n' + 'lorem ipsum '.repeat(100_000),
    });
    const report = await ingestInputs(
      { db: database.db, embedder },
      [dir, path.join(dir, 'missing.md')],
      testIngestSettings,
    );
    const byName = Object.fromEntries(report.results.map((r) => [path.basename(r.source), r]));
    expect(byName['good.md']!.status).toBe('created');
    expect(byName['good.pdf']!.status).toBe('created');
    const codes = Object.fromEntries(
      report.results
        .filter((r) => r.status === 'failed')
        .map((r) => [path.basename(r.source), r.error!.code]),
    );
    expect(codes).toEqual({
      'empty.md': 'empty',
      'blank.txt': 'empty',
      'corrupt.pdf': 'corrupt',
      'truncated.pdf': 'corrupt',
      'not-a-pdf.pdf': 'corrupt',
      'encrypted.pdf': 'encrypted',
      'corrupt.docx': 'corrupt',
      'junk.md': 'binary',
      'latin1.txt': 'encoding',
      'huge.md': 'too_large',
      'missing.md': 'not_found',
    });
    for (const r of report.results.filter((r) => r.status === 'failed')) {
      expect(r.error!.message).toContain(path.basename(r.source));
    }
    expect(report.failed).toBe(11);
    // Only the two good documents were stored.
    const [docs, versions] = await rowCounts();
    expect([docs, versions]).toEqual([2, 2]);
  });

  it('refuses an explicitly named file of an unsupported type, and skips such files inside folders', async () => {
    const dir = writeTree({
      'setup.exe': 'MZ\x90\x00binary',
      'pic.png': '\x89PNG',
      'ok.txt': 'Plain words about returns.',
    });
    const before = await rowCounts();
    const direct = await ingestInputs(
      { db: database.db, embedder },
      [path.join(dir, 'setup.exe')],
      testIngestSettings,
    );
    expect(direct.results[0]!.error).toMatchObject({ code: 'unsupported_type' });
    expect(direct.results[0]!.error!.message).toMatch(/unsupported file type.*\.exe/);
    expect(await rowCounts()).toEqual(before);
    const folder = await ingestInputs({ db: database.db, embedder }, [dir], testIngestSettings);
    expect(folder.failed).toBe(0);
    expect(folder.skipped.map((f) => path.basename(f)).sort()).toEqual(['pic.png', 'setup.exe']);
  });

  it('ingests web pages and reports unreachable, failing, oversized and slow URLs', async () => {
    const site = await serveRoutes({
      '/help/pairing': {
        body: `<html><head><title>Pairing help</title><script>var x = 1;</script></head><body>
          <nav><a href="/">Home</a> | <a href="/shop">Shop</a></nav>
          <main><h1>Pairing help</h1><p>Hold the case button for three seconds.</p>
          <h2>Still stuck?</h2><ul><li>Forget the device</li><li>Pair again</li></ul></main>
          <footer>© Kestrel</footer></body></html>`,
      },
      '/manual.pdf': { type: 'application/pdf', body: goodPdf },
      '/broken': { status: 500, body: 'oops' },
      '/big': { type: 'text/plain', body: 'x'.repeat(2 * 1024 * 1024) },
      '/slow': { body: '', hang: true },
    });
    const port = await closedPort();
    try {
      const before = await rowCounts();
      const report = await ingestInputs(
        { db: database.db, embedder },
        [
          `${site.url}/help/pairing`,
          `${site.url}/manual.pdf`,
          `${site.url}/broken`,
          `${site.url}/nowhere`,
          `${site.url}/big`,
          `${site.url}/slow`,
          `http://127.0.0.1:${port}/docs`,
        ],
        { ...testIngestSettings, fetchTimeoutMs: 500 },
      );
      const statuses = report.results.map((r) => [new URL(r.source).pathname, r.status, r.error?.code]);
      expect(statuses).toEqual([
        ['/help/pairing', 'created', undefined],
        ['/manual.pdf', 'created', undefined],
        ['/broken', 'failed', 'unreachable'],
        ['/nowhere', 'failed', 'unreachable'],
        ['/big', 'failed', 'too_large'],
        ['/slow', 'failed', 'unreachable'],
        ['/docs', 'failed', 'unreachable'],
      ]);
      expect(report.results[2]!.error!.message).toMatch(/500/);
      expect(report.results[3]!.error!.message).toMatch(/404/);
      const [docs] = await rowCounts();
      expect(docs).toBe(before[0]! + 2);
    } finally {
      await site.close();
    }
  });
});
