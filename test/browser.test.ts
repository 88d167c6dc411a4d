import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfNeeded } from '../src/cli/serve.ts';
import { defaultWebDir, type RunningServer, startServer } from '../src/server/serve.ts';
import { serveRoutes } from './support/http.ts';
import { createTestServer, type TestServer } from './support/server-fixture.ts';

// End to end in Debian's Chromium (installed by .ci/run), driven by playwright-core, against a real server.
const chromiumPath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = path.resolve(import.meta.dirname, '../test-results/screenshots');

describe('in a real browser', () => {
  let t: TestServer;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(
        `Chromium not found at ${chromiumPath}: install Debian's chromium (bash .ci/run does).`,
      );
    }
    buildWebIfNeeded(() => {});
    fs.mkdirSync(artifacts, { recursive: true });
    t = await createTestServer('pglite', {}, { webDir: defaultWebDir });
    server = await startServer(t.services, { port: 0, host: '127.0.0.1', webDir: defaultWebDir });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close(1000);
    await t?.destroy();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  async function ask(page: Page, question: string): Promise<string> {
    const before = await page.getByTestId('message-assistant').count();
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-send').click();
    const answer = page.getByTestId('message-assistant').nth(before);
    // The answer is complete once it can be rated (the stored message id arrives with the finish chunk).
    await answer.getByTestId('thumbs-up').waitFor({ timeout: 20_000 });
    return (await answer.getByTestId('answer').innerText()).trim();
  }

  it('a customer asks a question and sees a streamed answer with a citation', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await expect(page.getByTestId('offline-badge').innerText()).resolves.toMatch(/offline/i);
    const answer = await ask(page, 'My earbuds will not pair with my phone');
    expect(answer).toMatch(/hold the case button/i);
    const citation = page.getByTestId('citation').first();
    await expect(citation.innerText()).resolves.toMatch(/Bluetooth pairing problems/);
    const href = await citation.getAttribute('href');
    expect(href).toMatch(/^\/sources\//);
    await shot(page, 'chat-answer');
    // The citation opens the passage in its document.
    const source = await browser.newPage();
    await source.goto(`${server.url}${href}`);
    await expect(source.locator('h1').innerText()).resolves.toMatch(/Bluetooth pairing problems/);
    await source.close();
    // Thumbs down with a reason is recorded.
    await page.getByTestId('thumbs-down').first().click();
    await page.getByTestId('feedback-reason').fill('I had already tried that');
    await page.getByTestId('feedback-submit').click();
    await page.getByTestId('feedback-thanks').waitFor();
    // History lists the conversation.
    await page.getByTestId('history-toggle').click();
    await expect(page.getByTestId('history-item').first().innerText()).resolves.toMatch(/earbuds/i);
    await page.close();
  });

  it('the widget script adds a launcher that opens the chat in a frame', async () => {
    // The host site: another origin, pasting the one script tag.
    const shop = await serveRoutes({
      '/': {
        body: `<html><body><h1>Shop</h1><script src="${server.url}/widget.js" data-title="Help" defer></script></body></html>`,
      },
    });
    const page = await browser.newPage();
    await page.goto(`${shop.url.replace('127.0.0.1', 'localhost')}/`);
    await page.locator('[data-parley="launcher"]').click();
    const frame = page.frameLocator('[data-parley="frame"]');
    await frame.getByTestId('chat-input').fill('How do I return a product?');
    await frame.getByTestId('chat-send').click();
    await frame.getByTestId('thumbs-up').waitFor({ timeout: 20_000 });
    await expect(frame.getByTestId('answer').first().innerText()).resolves.toMatch(/30 days/);
    await shot(page, 'widget');
    await page.close();
    await shop.close();
  });

  it('staff upload a document in the console and the chat then answers from it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('login-token').fill(t.staffToken);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-knowledge').click();
    const doc = path.join(fs.mkdtempSync(path.join(path.dirname(artifacts), 'upload-')), 'gift-cards.md');
    fs.writeFileSync(
      doc,
      '# Gift cards\n\n## Expiry\n\nKestrel gift cards never expire and work for online orders only.\n',
    );
    await page.getByTestId('upload-input').setInputFiles(doc);
    await page.getByTestId('upload-submit').click();
    await expect(page.getByTestId('upload-result').first().innerText({ timeout: 20_000 })).resolves.toMatch(
      /created/i,
    );
    await page.getByTestId('retrieve-query').fill('do gift cards expire');
    await page.getByTestId('retrieve-submit').click();
    await expect(page.getByTestId('retrieve-hit').first().innerText()).resolves.toMatch(/Gift cards/);
    await shot(page, 'console-knowledge');

    const chat = await browser.newPage();
    await chat.goto(`${server.url}/`);
    expect(await ask(chat, 'Do gift cards expire?')).toMatch(/never expire/i);
    await expect(chat.getByTestId('citation').first().innerText()).resolves.toMatch(/Gift cards/);
    await chat.close();
    await page.close();
  });

  it('the analytics dashboard shows its charts', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('login-token').fill(t.staffToken);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-analytics').click();
    for (const chart of ['chart-conversations', 'chart-latency', 'chart-satisfaction']) {
      // The test id sits on the chart's <svg> or on a box holding it.
      const element = page.getByTestId(chart).first();
      await element.waitFor({ timeout: 10_000 });
      const svg =
        (await element.evaluate((e) => e.tagName.toLowerCase())) === 'svg'
          ? element
          : element.locator('svg').first();
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
    }
    await expect(page.getByTestId('top-questions').innerText()).resolves.toMatch(/earbuds|gift|refund/i);
    await shot(page, 'console-analytics');
    await page.close();
  });
});
