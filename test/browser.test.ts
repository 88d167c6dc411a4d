import fs from 'node:fs';
import path from 'node:path';
import { desc } from 'drizzle-orm';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, finetuneJobs } from '../src/db/schema/index.ts';
import { signCustomerId } from '../src/server/auth.ts';
import { type RunningServer } from '../src/server/serve.ts';
import { type Route, serveRoutes } from './support/http.ts';
import { type BrowserRig, startBrowserRig } from './support/browser-rig.ts';
import { identitySecret, type TestServer } from './support/server-fixture.ts';

// End to end in Debian's Chromium, driven by playwright-core, against a real server (`support/browser-rig.ts`).
const artifacts = path.resolve(import.meta.dirname, '../test-results/screenshots');

describe('in a real browser', () => {
  let rig: BrowserRig;
  let t: TestServer;
  let server: RunningServer;
  let browser: Browser;
  // The host site embedding the widget: another origin (localhost against the server's 127.0.0.1), listed in
  // PARLEY_WIDGET_ORIGINS so its pages may frame the chat. Its pages are added by the tests.
  const shopRoutes: Record<string, Route> = {};
  let shop: Awaited<ReturnType<typeof serveRoutes>>;
  let shopOrigin: string;

  beforeAll(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    shop = await serveRoutes(shopRoutes);
    shopOrigin = shop.url.replace('127.0.0.1', 'localhost');
    rig = await startBrowserRig({ PARLEY_WIDGET_ORIGINS: shopOrigin });
    ({ t, server, browser } = rig);
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
    await shop?.close();
    expect(rig?.cspViolations).toEqual([]);
  });

  const newPage = (options: { isolated?: boolean } = {}) => rig.newPage(options);

  /** A host-site page with the widget's script tag and the given `data-` attributes. */
  function shopPage(route: string, attributes: Record<string, string> = {}): string {
    const extra = Object.entries(attributes)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    shopRoutes[route] = {
      body: `<html><body><h1>Shop</h1><script src="${server.url}/widget.js" data-title="Help"${extra} defer></script></body></html>`,
    };
    return `${shopOrigin}${route}`;
  }

  async function askInFrame(frame: FrameLocator, question: string): Promise<string> {
    const before = await frame.getByTestId('message-assistant').count();
    await frame.getByTestId('chat-input').fill(question);
    await frame.getByTestId('chat-send').click();
    const answer = frame.getByTestId('message-assistant').nth(before);
    await answer.getByTestId('thumbs-up').waitFor({ timeout: 20_000 });
    return (await answer.getByTestId('answer').innerText()).trim();
  }

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
    const page = await newPage();
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
    const page = await newPage();
    await page.goto(shopPage('/'));
    await page.locator('[data-parley="launcher"]').click();
    const frame = page.frameLocator('[data-parley="frame"]');
    expect(await askInFrame(frame, 'How do I return a product?')).toMatch(/30 days/);
    await shot(page, 'widget');
    await page.close();
  });

  it('the standalone chat page ignores an identity in its link', async () => {
    // Someone sends a link carrying their own signed identity: opened outside the widget, it signs nobody in.
    const page = await newPage({ isolated: true });
    const signature = signCustomerId(identitySecret, 'cus_a1f93k');
    await page.goto(`${server.url}/chat?embed=1#customer=cus_a1f93k&signature=${signature}`);
    await ask(page, 'How do I return a product?');
    expect(await page.getByTestId('signed-in').count()).toBe(0);
    const [latest] = await t.database.db
      .select()
      .from(conversations)
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    expect(latest!.customerId).toBeNull();
    expect(latest!.visitorId).toMatch(/^vis_/);
    await page.context().close();
  });

  it("the widget signs a customer in, says so, and takes over this browser's anonymous conversations", async () => {
    const page = await newPage({ isolated: true });
    await page.goto(shopPage('/anonymous'));
    await page.locator('[data-parley="launcher"]').click();
    const anonymous = page.frameLocator('[data-parley="frame"]');
    expect(await askInFrame(anonymous, 'Do you ship to Canada?')).toBeTruthy();
    expect(await anonymous.getByTestId('signed-in').count()).toBe(0);
    // The shopper signs in on the host site, whose pages now pass the signed id to the widget.
    const signature = signCustomerId(identitySecret, 'cus_c8m51q');
    await page.goto(
      shopPage('/account', { 'data-customer-id': 'cus_c8m51q', 'data-customer-signature': signature }),
    );
    await page.locator('[data-parley="launcher"]').click();
    const signedIn = page.frameLocator('[data-parley="frame"]');
    await expect(signedIn.getByTestId('signed-in').innerText()).resolves.toMatch(/^Signed in as \S/);
    await signedIn.getByTestId('history-toggle').click();
    await expect(signedIn.getByTestId('history-item').first().innerText()).resolves.toMatch(/Canada/);
    await shot(page, 'widget-signed-in');
    await page.context().close();
  });

  it('staff upload a document in the console and the chat then answers from it', async () => {
    const page = await newPage();
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

    const chat = await newPage();
    await chat.goto(`${server.url}/`);
    expect(await ask(chat, 'Do gift cards expire?')).toMatch(/never expire/i);
    await expect(chat.getByTestId('citation').first().innerText()).resolves.toMatch(/Gift cards/);
    await chat.close();
    await page.close();
  });

  it('the analytics dashboard shows its charts', async () => {
    const page = await newPage();
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

  // Last: it changes the chat model for the rest of the server's life until the rollback puts it back.
  it('staff promote a fine-tuned model in the console and roll it back', async () => {
    await t.services.db.insert(finetuneJobs).values({
      providerJobId: 'ftjob-browser',
      baseModel: 'gpt-4.1-mini',
      status: 'succeeded',
      resultingModel: 'ft:gpt-4.1-mini:acme::browser',
    });
    const page = await newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('login-token').fill(t.staffToken);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-finetune').click();
    const summary = page.getByTestId('finetune-summary');
    await expect(summary.innerText()).resolves.toMatch(/as configured \(PARLEY_CHAT_MODEL\)/);
    expect(await page.getByTestId('finetune-rollback').count()).toBe(0);
    // Not evaluated, so only "Promote anyway" is offered, behind a confirmation.
    await page.getByTestId('finetune-force').click();
    await page.getByTestId('finetune-force-confirm').click();
    await page.getByText(/Chat model: ft:gpt-4\.1-mini:acme::browser/).waitFor({ timeout: 10_000 });
    await page.getByTestId('finetune-rollback').click();
    await page.getByTestId('finetune-rollback-confirm').click();
    await page.getByText(/as configured \(PARLEY_CHAT_MODEL\)/).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('finetune-rollback').count()).toBe(0);
    await shot(page, 'console-finetune');
    await page.close();
  });
});
