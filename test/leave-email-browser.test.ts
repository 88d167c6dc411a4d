import { desc } from 'drizzle-orm';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekdays } from '../src/contracts/settings.ts';
import { conversations } from '../src/db/schema/index.ts';
import { type RunningServer } from '../src/server/serve.ts';
import { saveCompanyProfile } from '../src/support/company-profile.ts';
import { type BrowserRig, startBrowserRig } from './support/browser-rig.ts';
import { type TestServer } from './support/server-fixture.ts';

// "Leave your email" on the chat page: offered when a hand-off happens outside business hours, refused when
// the address is not one, and once left, shown to staff in the console.

describe('leaving an email in a real browser', () => {
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

  /** A new anonymous visitor's chat page. */
  async function visitorPage(): Promise<Page> {
    const page = await rig.newPage({ isolated: true });
    await page.goto(`${server.url}/`);
    return page;
  }

  /** Sends a message and waits for the answer and for the page's check whether to offer the form. */
  async function send(page: Page, text: string): Promise<void> {
    const before = await page.getByTestId('message-assistant').count();
    const checked = page.waitForResponse(
      (r) => r.request().method() === 'GET' && /\/api\/conversations\/[^/]+\/contact$/.test(r.url()),
    );
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
    await page
      .getByTestId('message-assistant')
      .nth(before)
      .getByTestId('thumbs-up')
      .waitFor({ timeout: 20_000 });
    await checked;
  }

  const latestConversation = async () =>
    (await t.database.db.select().from(conversations).orderBy(desc(conversations.createdAt)).limit(1))[0]!;

  const hours = (open: boolean) =>
    saveCompanyProfile(t.database.db, {
      name: 'Kestrel Electronics',
      // Open around the clock, or on no day at all.
      businessHours: {
        timeZone: 'UTC',
        days: open ? Object.fromEntries(weekdays.map((d) => [d, [['00:00', '24:00']]])) : {},
      },
    });

  it('is not offered for an answered question, nor for a hand-off in business hours', async () => {
    await hours(true);
    const page = await visitorPage();
    await send(page, 'How do I pair my earbuds?');
    await expect(page.getByTestId('leave-email').count()).resolves.toBe(0);
    await send(page, 'Can I talk to a person please?');
    expect((await latestConversation()).status).toBe('escalated');
    await expect(page.getByTestId('leave-email').count()).resolves.toBe(0);
    await page.context().close();
  }, 60_000);

  it('is offered outside business hours, refuses what is not an email, and staff see the one left', async () => {
    await hours(false);
    const page = await visitorPage();
    await send(page, 'Can I talk to a person please?');
    const form = page.getByTestId('leave-email');
    await form.waitFor({ timeout: 10_000 });
    const input = page.getByTestId('leave-email-input');

    // Not an address at all: the browser keeps the form from being sent and says why.
    await input.fill('maya');
    await page.getByTestId('leave-email-send').click();
    await expect(
      input.evaluate((el) => (el as { validationMessage?: string }).validationMessage),
    ).resolves.toMatch(/@/);
    // One the browser lets through but the server does not accept: the server's reason is shown, as a sentence.
    await input.fill('maya@example');
    await page.getByTestId('leave-email-send').click();
    await expect(page.getByTestId('leave-email-error').innerText()).resolves.toBe(
      'Enter a valid email address.',
    );
    const conversation = await latestConversation();
    expect(conversation.status).toBe('escalated');
    expect(conversation.metadata.contactEmail).toBeUndefined();

    // Staff have the conversation open in the console when the visitor leaves a good address.
    const staff = await rig.newPage({ isolated: true });
    await staff.goto(`${server.url}/admin`);
    await staff.getByTestId('login-token').fill(t.staffToken);
    await staff.getByTestId('login-submit').click();
    await staff.getByTestId('nav-inbox').click();
    await staff
      .locator(`[data-testid="inbox-row"][data-conversation="${conversation.id}"]`)
      .getByTestId('inbox-open')
      .click();
    await staff.getByTestId('transcript').waitFor({ timeout: 10_000 });
    await expect(staff.getByTestId('contact-email').count()).resolves.toBe(0);

    await input.fill(' maya@example.com ');
    await page.getByTestId('leave-email-send').click();
    await expect(page.getByTestId('leave-email-done').innerText()).resolves.toMatch(
      /we'll reply to maya@example\.com/,
    );
    await expect(form.count()).resolves.toBe(0);
    const contact = staff.getByTestId('contact-email');
    await contact.waitFor({ timeout: 10_000 });
    await expect(contact.innerText()).resolves.toBe('maya@example.com');
    await page.context().close();
    await staff.context().close();
  }, 90_000);
});
