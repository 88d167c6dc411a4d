import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../test/support/files.ts';
import {
  docxBomb,
  nestedDivs,
  pdfBomb,
  pdfPages,
  unpunctuatedText,
} from '../../test/support/hostile-files.ts';
import { serveRoutes } from '../../test/support/http.ts';
import { runJob } from '../jobs/worker.ts';
import { chunks, documents, documentVersions } from '../db/schema/index.ts';
import { LocalEmbedder } from './embed/index.ts';
import { ingestInputs, type IngestSettings } from './ingest.ts';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/bad');
const goodPdf = fs.readFileSync(path.join(fixtures, 'good-small.pdf'));

const MB = 1024 * 1024;

/** Small limits, so that small generated bombs go over them. */
const hostileSettings: IngestSettings = {
  ...testIngestSettings,
  maxFileBytes: 8 * MB,
  limits: {
    maxExtractedBytes: 20 * MB,
    maxPdfPages: 5,
    maxTextChars: 2 * MB,
    maxChunks: 500,
    timeoutMs: 60_000,
  },
};

/** The longest the event loop went without running a 20 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

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

  it('refuses decompression bombs and documents over the limits, quickly, without blocking the event loop', async () => {
    const dir = writeTree({
      // 1 GB of XML in a 1 MB archive; the second one's headers claim 1000 bytes.
      'bomb.docx': await docxBomb(1024 * MB),
      'lying-bomb.docx': await docxBomb(200 * MB, { lie: true }),
      // A page whose stream inflates to 1 GB, and one whose 15 MB stays under the size limit but not the text's.
      'bomb.pdf': await pdfBomb(1024 * MB),
      'wordy.pdf': await pdfBomb(15 * MB),
      'long.pdf': pdfPages(6),
      'sections.md': Array.from({ length: 600 }, (_, i) => `## Part ${i}\n\n${'words '.repeat(90)}`).join(
        '\n\n',
      ),
      'nested.html': nestedDivs(200_000),
      'fine.pdf': pdfPages(2),
    });
    const started = performance.now();
    let report!: Awaited<ReturnType<typeof ingestInputs>>;
    const stall = await longestStall(async () => {
      report = await ingestInputs({ db: database.db, embedder }, [dir], hostileSettings);
    });
    const outcome = Object.fromEntries(
      report.results.map((r) => [path.basename(r.source), r.error?.message ?? r.status]),
    );
    expect(outcome).toEqual({
      'bomb.docx': expect.stringMatching(/decompresses to more than 20 MB \(PARLEY_MAX_EXTRACTED_MB\)/),
      'lying-bomb.docx': expect.stringMatching(/decompresses to more than 20 MB/),
      'bomb.pdf': expect.stringMatching(/streams decompress to more than 20 MB/),
      'wordy.pdf': expect.stringMatching(/more than 2 MB of text by page 1 \(PARLEY_MAX_TEXT_MB\)/),
      'long.pdf': expect.stringMatching(/6 pages, more than 5 \(PARLEY_MAX_PDF_PAGES\)/),
      'sections.md': expect.stringMatching(/chunks, more than 500 \(PARLEY_MAX_CHUNKS\)/),
      'nested.html': 'created',
      'fine.pdf': 'created',
    });
    expect(report.results.filter((r) => r.status === 'failed').map((r) => r.error!.code)).toEqual(
      Array(6).fill('too_large'),
    );
    // Generous guards, not benchmarks: the PDF bomb alone blocked the process for minutes.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(stall).toBeLessThan(1000);
  });

  it('stops an extraction that overruns its time limit, and goes on with the next document', async () => {
    const dir = writeTree({ 'slow.pdf': await pdfBomb(15 * MB), 'next.md': '# Next\n\nStill ingested.' });
    const report = await ingestInputs({ db: database.db, embedder }, [dir], {
      ...hostileSettings,
      limits: { ...hostileSettings.limits!, maxTextChars: 100 * MB, timeoutMs: 300 },
    });
    expect(report.results.map((r) => [path.basename(r.source), r.status, r.error?.message])).toEqual([
      ['next.md', 'created', undefined],
      ['slow.pdf', 'failed', expect.stringMatching(/took longer than 0.3 s \(PARLEY_EXTRACT_TIMEOUT_S\)/)],
    ]);
  });

  it('fails an ingestion job for good, without retries, when the document is a bomb', async () => {
    const file = path.join(writeTree({ 'bomb.docx': await docxBomb(1024 * MB) }), 'bomb.docx');
    const deps = {
      db: database.db,
      embedder,
      queue: undefined as never,
      settings: hostileSettings,
      log: () => {},
    };
    const outcome = await runJob(
      'ingest.source',
      { id: 'bomb', data: { source: { uri: file, kind: 'file' }, settings: hostileSettings } },
      deps,
    );
    expect(outcome).toMatchObject({ status: 'deadletter', output: { code: 'too_large' } });
  });
});

describe('text without punctuation', () => {
  it('ingests as many chunks, in linear time', () => {
    // Covered at the chunker (chunk.test.ts); here only the generator's shape, used by bench/hostile.ts.
    expect(unpunctuatedText(1000)).not.toMatch(/[.!?\n]/);
  });
});
