import { desc } from 'drizzle-orm';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../src/db/schema/index.ts';
import { type RunningServer } from '../src/server/serve.ts';
import { type BrowserRig, startBrowserRig } from './support/browser-rig.ts';
import { type TestServer } from './support/server-fixture.ts';

// The human hand-off end to end: a customer's chat page and a staff console in two Chromium contexts.

describe('human hand-off in a real browser', () => {
  let rig: BrowserRig;
  let t: TestServer;
  let server: RunningServer;

  beforeAll(async () => {
    rig = await startBrowserRig();
    ({ t, server } = rig);
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
    expect(rig?.cspViolations).toEqual([]);
  });

  const isolatedPage = () => rig.newPage({ isolated: true });

  /** Marks the page, so a later check can tell it was never reloaded. */
  const mark = (page: Page) =>
    page.evaluate(() => ((globalThis as { handoffMark?: number }).handoffMark = 1));
  const stillMarked = (page: Page) =>
    page.evaluate(() => (globalThis as { handoffMark?: number }).handoffMark);

  it('staff take over and reply live; the customer writes back and staff see it live', async () => {
    const customer = await isolatedPage();
    await customer.goto(`${server.url}/`);
    await customer.getByTestId('chat-input').fill('Can I talk to a person please?');
    await customer.getByTestId('chat-send').click();
    await customer
      .getByTestId('message-assistant')
      .first()
      .getByTestId('thumbs-up')
      .waitFor({ timeout: 20_000 });
    const [latest] = await t.database.db
      .select()
      .from(conversations)
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    expect(latest!.status).toBe('escalated');
    await mark(customer);

    const staff = await isolatedPage();
    await staff.goto(`${server.url}/admin`);
    await staff.getByTestId('login-token').fill(t.staffToken);
    await staff.getByTestId('login-submit').click();
    await staff.getByTestId('nav-inbox').click();
    const row = staff.locator(`[data-testid="inbox-row"][data-conversation="${latest!.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.getByTestId('inbox-last-message').innerText()).resolves.toMatch(/Agent:/);
    await row.getByTestId('inbox-take').click();
    await staff.getByTestId('handoff-holder').filter({ hasText: 'You have' }).waitFor({ timeout: 10_000 });
    await mark(staff);

    // The customer sees who joined without reloading.
    await customer
      .getByTestId('handoff-notice')
      .filter({ hasText: 'tests joined' })
      .waitFor({ timeout: 10_000 });

    await staff.getByTestId('staff-reply').fill('Hi, this is a person. How can I help?');
    await staff.getByTestId('staff-send').click();
    const reply = customer.getByTestId('message-staff').filter({ hasText: 'this is a person' });
    await reply.waitFor({ timeout: 10_000 });
    await expect(reply.getByTestId('staff-author').innerText()).resolves.toMatch(/^tests/);

    // While held, the customer's message goes to staff and the page says a person has it.
    await customer.getByTestId('chat-input').fill('My order KE-100142 never arrived');
    await customer.getByTestId('chat-send').click();
    await customer
      .getByTestId('message-assistant')
      .filter({ hasText: 'A member of our team, tests, has this conversation' })
      .waitFor({ timeout: 10_000 });
    await staff
      .locator('[data-testid="message"][data-role="user"]')
      .filter({ hasText: 'never arrived' })
      .waitFor({ timeout: 10_000 });

    expect(await stillMarked(customer)).toBe(1);
    expect(await stillMarked(staff)).toBe(1);
    await customer.context().close();
    await staff.context().close();
  }, 90_000);
});
