import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { testIngestSettings, writeTree } from '../../../test/support/files.ts';
import { type Route, serveRoutes } from '../../../test/support/http.ts';
import { documents, sources } from '../../db/schema/index.ts';
import { LocalEmbedder } from '../embed/index.ts';
import { readSitemap } from './read.ts';
import { type JobQueue, openQueue } from '../../jobs/queue.ts';
import { addSource, dueSources, findSource, listSources } from './registry.ts';
import { jobStatus } from '../../jobs/status.ts';
import { syncSourceInline } from './sync.ts';
import { waitFor } from '../../jobs/wait.fixture.ts';
import { enqueueDueSources, runJob, startWorker } from '../../jobs/worker.ts';

const page = (title: string, body: string): Route => ({
  body: `<html><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${body}</p></main></body></html>`,
});

const urlset = (base: string, paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
  paths.map((p) => `<url><loc>${base}${p}</loc><lastmod>2026-11-01</lastmod></url>`).join('') +
  `</urlset>`;

describe('sitemaps', () => {
  let server: { url: string; close(): Promise<void> };
  const routes: Record<string, Route> = {};
  beforeAll(async () => {
    server = await serveRoutes(routes);
  });
  afterAll(() => server?.close());
  const limits = { maxBytes: 1024 * 1024, fetchTimeoutMs: 2000, allowHosts: ['127.0.0.1'] };

  it('lists the pages of a sitemap, following an index into gzipped sitemaps', async () => {
    routes['/index.xml'] = {
      type: 'application/xml',
      body:
        `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
        `<sitemap><loc>${server.url}/one.xml</loc></sitemap><sitemap><loc>${server.url}/two.xml.gz</loc></sitemap>` +
        `</sitemapindex>`,
    };
    routes['/one.xml'] = { type: 'application/xml', body: urlset(server.url, ['/a?x=1&amp;y=2', '/b']) };
    routes['/two.xml.gz'] = {
      type: 'application/gzip',
      body: zlib.gzipSync(urlset(server.url, ['/b', '/c'])),
    };
    expect(await readSitemap(`${server.url}/index.xml`, limits)).toEqual([
      `${server.url}/a?x=1&y=2`,
      `${server.url}/b`,
      `${server.url}/c`,
    ]);
  });

  it('refuses a page that is not a sitemap, and one it cannot fetch', async () => {
    routes['/page.xml'] = page('Not a sitemap', 'Just a page.');
    await expect(readSitemap(`${server.url}/page.xml`, limits)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(readSitemap(`${server.url}/missing.xml`, limits)).rejects.toMatchObject({
      code: 'unreachable',
    });
  });
});

describe.each(backends)('registered sources on %s', (backend) => {
  let database: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let queue: JobQueue;
  const routes: Record<string, Route> = {};
  const embedder = new LocalEmbedder();
  const folder = writeTree({
    'guides/pairing.md': '# Pairing\n\nHold the case button for three seconds to pair the earbuds.',
    'guides/charging.md': '# Charging\n\nThe case charges fully in ninety minutes over USB-C.',
    'notes.bin': 'not a document',
  });
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    server = await serveRoutes(routes);
    queue = await openQueue(database, { role: 'worker', superviseIntervalSeconds: 2 });
  });
  afterAll(async () => {
    await queue?.close();
    await server?.close();
    await database?.destroy();
  });
  const deps = () => ({ db: database.db, embedder });
  const active = async () =>
    (await database.db.select().from(documents).where(eq(documents.status, 'active')))
      .map((d) => d.source)
      .sort();

  it('registers folders, pages and sitemaps, and refuses what it cannot sync', async () => {
    const added = await addSource(database.db, { location: folder, intervalMinutes: 60 });
    expect(added).toMatchObject({
      ok: true,
      source: { kind: 'folder', location: folder, intervalMinutes: 60 },
    });
    expect(await addSource(database.db, { location: `${server.url}/sitemap.xml` })).toMatchObject({
      ok: true,
      source: { kind: 'sitemap', intervalMinutes: null },
    });
    expect(await addSource(database.db, { location: `${server.url}/faq` })).toMatchObject({
      ok: true,
      source: { kind: 'url' },
    });
    expect(await addSource(database.db, { location: folder })).toMatchObject({
      ok: false,
      error: { code: 'exists' },
    });
    expect(await addSource(database.db, { location: path.join(folder, 'nope') })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await addSource(database.db, { location: path.join(folder, 'guides/pairing.md') })).toMatchObject({
      ok: false,
      error: { code: 'not_a_folder' },
    });
    expect(await addSource(database.db, { location: `${server.url}/x`, intervalMinutes: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    const list = await listSources(database.db);
    expect(list.map((s) => s.kind)).toEqual(['folder', 'sitemap', 'url']);
    expect((await findSource(database.db, list[0]!.id))?.location).toBe(folder);
    expect((await findSource(database.db, `${server.url}/sitemap.xml`))?.id).toBe(list[1]!.id);
  });

  it('syncs a folder: new and changed files are ingested, unchanged ones skipped, removed ones retired', async () => {
    const source = (await findSource(database.db, folder))!;
    const first = await syncSourceInline(deps(), source, testIngestSettings);
    expect(first.status).toMatchObject({ mode: 'inline', documents: 2, created: 2, retired: 0, skipped: 1 });

    fs.writeFileSync(
      path.join(folder, 'guides/charging.md'),
      '# Charging\n\nThe case now charges in an hour.',
    );
    fs.rmSync(path.join(folder, 'guides/pairing.md'));
    fs.writeFileSync(path.join(folder, 'guides/reset.md'), '# Reset\n\nHold both buttons for ten seconds.');
    const second = await syncSourceInline(
      deps(),
      (await findSource(database.db, folder))!,
      testIngestSettings,
    );
    expect(second.status).toMatchObject({ documents: 2, created: 1, updated: 1, unchanged: 0, retired: 1 });
    expect(await active()).toEqual([
      path.join(folder, 'guides/charging.md'),
      path.join(folder, 'guides/reset.md'),
    ]);

    const third = await syncSourceInline(
      deps(),
      (await findSource(database.db, folder))!,
      testIngestSettings,
    );
    expect(third.status).toMatchObject({ created: 0, updated: 0, unchanged: 2, retired: 0 });
    const stored = (await findSource(database.db, folder))!;
    expect(stored.lastSyncedAt).toBeInstanceOf(Date);
    expect(stored.lastStatus).toMatchObject({ unchanged: 2 });
  });

  it('syncs a sitemap from a web server; pages it no longer lists are retired', async () => {
    routes['/a'] = page('Returns', 'Return any product within thirty days of delivery.');
    routes['/b'] = page('Warranty', 'The warranty lasts two years from purchase.');
    routes['/c'] = page('Shipping', 'Orders ship within two business days.');
    routes['/sitemap.xml'] = { type: 'application/xml', body: urlset(server.url, ['/a', '/b']) };
    const sitemap = (await findSource(database.db, `${server.url}/sitemap.xml`))!;
    const first = await syncSourceInline(deps(), sitemap, testIngestSettings);
    expect(first.results.map((r) => [r.source, r.status])).toEqual([
      [`${server.url}/a`, 'created'],
      [`${server.url}/b`, 'created'],
    ]);

    routes['/sitemap.xml'] = { type: 'application/xml', body: urlset(server.url, ['/a', '/c']) };
    const second = await syncSourceInline(
      deps(),
      (await findSource(database.db, sitemap.id))!,
      testIngestSettings,
    );
    expect(second.results.map((r) => [r.source, r.status])).toEqual([
      [`${server.url}/a`, 'unchanged'],
      [`${server.url}/c`, 'created'],
      [`${server.url}/b`, 'retired'],
    ]);
    expect(second.status).toMatchObject({ documents: 2, created: 1, unchanged: 1, retired: 1 });

    // An unreachable sitemap fails the sync and retires nothing.
    routes['/sitemap.xml'] = { status: 503, body: 'down for maintenance' };
    const failed = await syncSourceInline(
      deps(),
      (await findSource(database.db, sitemap.id))!,
      testIngestSettings,
    );
    expect(failed.status.error).toMatchObject({ code: 'unreachable' });
    expect((await active()).filter((s) => s.startsWith(server.url))).toEqual([
      `${server.url}/a`,
      `${server.url}/c`,
    ]);
  });

  it('finds scheduled sources that are due, and queues each sync once', async () => {
    // The folder syncs hourly and synced just now; the others have no schedule.
    expect(await dueSources(database.db)).toEqual([]);
    await database.db
      .update(sources)
      .set({ lastSyncedAt: sql`now() - interval '61 minutes'` })
      .where(eq(sources.location, folder));
    expect((await dueSources(database.db)).map((s) => s.location)).toEqual([folder]);
    expect(await enqueueDueSources(database.db, queue, testIngestSettings)).toBe(1);
    // Still waiting in the queue: not queued again.
    expect(await enqueueDueSources(database.db, queue, testIngestSettings)).toBe(0);
    const sync = (await jobStatus(database.db)).queues.find((q) => q.name === 'sources.sync')!;
    expect(sync.counts.created).toBe(1);
    await queue.boss.deleteQueuedJobs('sources.sync');

    // A scheduled sync that finds the source synced in the meantime does nothing.
    await database.db.update(sources).set({ lastSyncedAt: new Date() }).where(eq(sources.location, folder));
    const source = (await findSource(database.db, folder))!;
    const outcome = await runJob(
      'sources.sync',
      { id: 'x', data: { sourceId: source.id, reason: 'schedule', settings: testIngestSettings } },
      { db: database.db, embedder, queue, settings: testIngestSettings, log: () => {} },
    );
    expect(outcome).toMatchObject({ status: 'completed', output: { skipped: true } });
  });

  it('syncs through the queue: a worker resolves the source and ingests its documents as jobs', async () => {
    routes['/faq'] = page('FAQ', 'Yes, the earbuds are water resistant to one metre.');
    fs.writeFileSync(path.join(folder, 'guides/cases.md'), '# Cases\n\nThe case holds three full charges.');
    fs.rmSync(path.join(folder, 'guides/reset.md'));
    const lines: string[] = [];
    await startWorker(
      { db: database.db, embedder, queue, settings: testIngestSettings, log: (l) => lines.push(l) },
      { concurrency: 2, pollingIntervalSeconds: 0.5 },
    );
    for (const source of await listSources(database.db)) {
      if (source.kind === 'sitemap') continue;
      await queue.enqueue(
        'sources.sync',
        { sourceId: source.id, reason: 'manual', settings: testIngestSettings },
        { singletonKey: source.id },
      );
    }
    const expected = [
      `${server.url}/a`,
      `${server.url}/c`,
      `${server.url}/faq`,
      path.join(folder, 'guides/cases.md'),
      path.join(folder, 'guides/charging.md'),
    ].sort();
    await waitFor(async () => JSON.stringify(await active()) === JSON.stringify(expected));
    await waitFor(async () => {
      const q = (await jobStatus(database.db)).queues.find((x) => x.name === 'ingest.source')!;
      return q.counts.created + q.counts.active + q.counts.retry === 0;
    });
    const folderSource = (await findSource(database.db, folder))!;
    expect(folderSource.lastStatus).toMatchObject({ mode: 'queued', documents: 2, enqueued: 2, retired: 1 });
    expect(lines.some((l) => /✓ sources\.sync synced .*: 2 documents queued, 1 retired/.test(l))).toBe(true);
    expect(lines.some((l) => /✓ ingest\.source created .*cases\.md/.test(l))).toBe(true);
  });
});
