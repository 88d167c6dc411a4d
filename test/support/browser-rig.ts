import fs from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildWebIfNeeded } from '../../src/cli/serve.ts';
import { defaultWebDir, type RunningServer, startServer } from '../../src/server/serve.ts';
import { createTestServer, type TestServer } from './server-fixture.ts';

// What every browser test starts with: the built web app served by a real server on embedded PGlite, and
// Debian's Chromium (installed by .ci/run) driven by playwright-core.
const chromiumPath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserRig {
  t: TestServer;
  server: RunningServer;
  browser: Browser;
  /** Every Content-Security-Policy violation a page opened by `newPage` reported: the pages must work under it. */
  cspViolations: string[];
  /** A new page (in a browser context of its own when `isolated`: its own storage, so a new visitor). */
  newPage(options?: { isolated?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium (bash .ci/run does).`);
  }
  buildWebIfNeeded(() => {});
  const t = await createTestServer('pglite', env, { webDir: defaultWebDir });
  const server = await startServer(t.services, { port: 0, host: '127.0.0.1', webDir: defaultWebDir });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const cspViolations: string[] = [];
  return {
    t,
    server,
    browser,
    cspViolations,
    async newPage(options = {}) {
      const page = options.isolated ? await (await browser.newContext()).newPage() : await browser.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      return page;
    },
    async close() {
      await browser.close();
      await server.close(1000);
      await t.destroy();
    },
  };
}
