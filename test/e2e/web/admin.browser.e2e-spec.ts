/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import type { Browser, Page } from 'playwright-core';
import {
  type Account,
  ADMIN_ENV,
  collection,
  createAccount,
  firstAdmin,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  type SignedInPage,
  signInInBrowser,
} from '../../support/browser';
import { auditEvent } from '../../support/audit';
import { upload } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

const GIB = 1024 ** 3;

/**
 * The admin and auditor pages, in the order an admin would use them: a plain user finds none of
 * them; the admin looks at the overview, adds a person, makes them an auditor, sets a quota,
 * disables a user in the middle of their session, deletes one after the erasure warning; the new
 * auditor finds the audit trail and its chain valid.
 */
describe('admin and auditor pages in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let admin: Account;
  let plain: Account;
  let adminPage: SignedInPage;
  let plainPage: SignedInPage;
  const added = { email: uniqueEmail('added'), password: STRONG_PASSWORD };

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp({ env: ADMIN_ENV });
    t = listening;
    baseUrl = listening.baseUrl;
    admin = await firstAdmin(t);
    plain = await signUp(t, 'plain');
    await upload(t, plain, Buffer.alloc(300_000, 3), 'Report.pdf').expect(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  const userRow = (page: Page, email: string) =>
    page.getByTestId('user-row').filter({ hasText: email });
  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();
  const idOf = async (email: string) =>
    (await collection(t, 'users').findOne({ email }))!._id.toString();
  const stored = async (id: string) =>
    (
      await t.http().get('/api/v1/users?limit=100').set('Authorization', admin.bearer).expect(200)
    ).body.items.find((user: { id: string }) => user.id === id);

  it('shows a plain user no admin or audit entry, and their addresses as not found', async () => {
    plainPage = await signInInBrowser(browser, baseUrl, plain);
    const { page, watch } = plainPage;
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const entry of ['Overview', 'Users', 'Audit']) {
      await expect(nav.getByRole('link', { name: entry }).count()).resolves.toBe(0);
    }
    for (const path of ['/admin', '/admin/users', '/audit']) {
      await page.goto(`${baseUrl}${path}`);
      await heading(page, 'Page not found');
      await page.waitForFunction(() => document.title === 'Page not found · Strongroom');
    }
    // Nothing was even asked of the admin routes (which would have answered 403).
    await expectCleanPage(page, watch);
    await page.goto(`${baseUrl}/files`);
    await heading(page, 'My files');
  });

  it('gives the admin an overview of storage, accounts and a month of uploads', async () => {
    adminPage = await signInInBrowser(browser, baseUrl, admin);
    const { page, watch } = adminPage;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await heading(page, 'Overview');
    const figure = (name: string) =>
      page.locator('.figures div').filter({ hasText: name }).locator('dd');
    await expect(figure('Accounts').textContent()).resolves.toBe('2');
    await expect(figure('Files stored').textContent()).resolves.toBe('1');
    await expect(figure('Storage used').textContent()).resolves.toBe('293 KB');
    const chart = page.getByRole('img', { name: 'Uploads and bytes per day, last 30 days' });
    await expect(chart.locator('rect.bar').count()).resolves.toBe(60);
    await page.getByText('1 upload, 293 KB in all').waitFor();
    await expect(
      page.getByRole('row').filter({ hasText: plain.email }).textContent(),
    ).resolves.toContain('293 KB');
    await screenshot(page, 'admin-overview');
    await expectCleanPage(page, watch);
  });

  it('adds a user, saying plainly why a weak password is refused', async () => {
    const { page, watch } = adminPage;
    await page.getByRole('link', { name: 'Users' }).click();
    await heading(page, 'Users');
    await page.getByRole('button', { name: 'Add a user' }).click();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill(added.email);
    await form.getByLabel('Password').fill('password1234');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    await expectCleanPage(page, watch, [/status of 400/]);

    await form.getByLabel('Password').fill(added.password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await status(page, `Added ${added.email}.`);
    await expect(userRow(page, added.email).textContent()).resolves.toMatch(/Active/);
    await expectCleanPage(page, watch);
  });

  it('changes a role, and shows the refusal when the last admin would lose theirs', async () => {
    const { page, watch } = adminPage;
    await page.getByLabel(`Role of ${added.email}`).selectOption('auditor');
    await status(page, `${added.email} is now Auditor.`);
    expect((await stored(await idOf(added.email))).role).toBe('auditor');

    const own = page.getByLabel(`Role of ${admin.email}`);
    await own.selectOption('user');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'This is the last active admin: promote another admin first',
    );
    await expect(own.inputValue()).resolves.toBe('admin');
    expect((await stored(admin.id)).role).toBe('admin');
    await expectCleanPage(page, watch, [/status of 409/]);
  });

  it('sets a quota in human units, and explains one it cannot read', async () => {
    const { page, watch } = adminPage;
    await page.getByRole('button', { name: `Set the quota of ${plain.email}` }).click();
    const input = page.getByLabel(`Quota of ${plain.email}`, { exact: true });
    await input.fill('lots');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'for example 500 MB' }).waitFor();
    await input.fill('2 GB');
    await page.getByRole('button', { name: 'Save' }).click();
    await status(page, `The quota of ${plain.email} is now 2 GB.`);
    await expect(userRow(page, plain.email).textContent()).resolves.toContain('293 KB of 2 GB');
    expect((await stored(plain.id)).quota).toBe(2 * GIB);
    await screenshot(page, 'admin-users');
    await expectCleanPage(page, watch);
  });

  it('disables a user, whose open session ends at their next request', async () => {
    const { page, watch } = adminPage;
    await page.getByRole('button', { name: `Disable ${plain.email}` }).click();
    await status(page, `${plain.email} is disabled`);
    await expect(userRow(page, plain.email).textContent()).resolves.toMatch(/Disabled/);
    await expectCleanPage(page, watch);

    await plainPage.page.getByLabel('Search by name').fill('report');
    await heading(plainPage.page, 'Sign in');
    await plainPage.page.getByText('Your session has ended; sign in again.').waitFor();
    // The refused request and the refused refresh, nothing else.
    await expectCleanPage(plainPage.page, plainPage.watch, [/status of 401/, /status of 401/]);
    await plainPage.context.close();
  });

  it('deletes a user only after the erasure warning and their email typed out', async () => {
    const { page, watch } = adminPage;
    await page.getByRole('button', { name: `Delete ${plain.email}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${plain.email}?` });
    await expect(dialog.textContent()).resolves.toMatch(
      /every file they own \(293 KB stored\).*cannot be undone/,
    );
    const confirm = dialog.getByRole('button', { name: 'Delete user and files' });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(`Type ${plain.email} to confirm`).fill(added.email);
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel(`Type ${plain.email} to confirm`).fill(plain.email);
    await screenshot(page, 'admin-delete-user');
    await expectCleanPage(page, watch);
    await confirm.click();
    await status(page, `Deleted ${plain.email} and everything they owned.`);
    await expect(userRow(page, plain.email).count()).resolves.toBe(0);
    expect(await stored(plain.id)).toBeUndefined();
    await expect(collection(t, 'files').countDocuments({})).resolves.toBe(0);
    await expectCleanPage(page, watch);
  });

  it('searches users and pages through them', async () => {
    const { page, watch } = adminPage;
    // One page holds 20: with these, the list has 22. Twenty password hashes take seconds on a
    // busy machine, hence this test's longer timeout.
    for (let i = 0; i < 20; i++) await createAccount(t, admin, 'user');
    await page.reload();
    await heading(page, 'Users');
    await page.getByText('22 users', { exact: true }).waitFor();
    await expect(page.getByTestId('user-row').count()).resolves.toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('2 / 2', { exact: true }).waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="user-row"]').length === 2,
    );

    await page.getByLabel('Search by email or name').fill(added.email.split('@')[0]);
    await page.getByText('1 user', { exact: true }).waitFor();
    await expect(page.getByTestId('user-row').textContent()).resolves.toContain(added.email);
    await page.getByLabel('Search by email or name').fill('nobody-by-this-name');
    await page.getByText('No user matches your search.').waitFor();
    await page.getByLabel('Search by email or name').fill('');
    await page.getByText('22 users', { exact: true }).waitFor();
    await expectCleanPage(page, watch);
  }, 90_000);

  it('stays on the page the admin turned to before the search box first settled', async () => {
    const { page, watch } = adminPage;
    // The search box settles 250 ms after the page opens; held back here, that is after the click.
    await page.clock.install();
    await page.reload();
    await page.getByText('22 users', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('2 / 2', { exact: true }).waitFor();
    await page.getByTestId('user-row').nth(2).waitFor({ state: 'detached' });
    await page.clock.runFor(1000);
    await expect(page.getByText('2 / 2', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('user-row').count()).resolves.toBe(2);
    await expectCleanPage(page, watch);
  });

  let auditorPage: SignedInPage;

  it('shows the auditor the audit trail, its filters, and the chain valid', async () => {
    await adminPage.context.close();
    auditorPage = await signInInBrowser(browser, baseUrl, added);
    const { page, watch } = auditorPage;
    // Sign-in events are written after the answer: count them in before comparing totals.
    await auditEvent(t, { type: 'login_succeeded', 'actor.userId': await idOf(added.email) });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    await nav.getByRole('link', { name: 'Audit' }).click();
    await heading(page, 'Audit trail');
    const events = await collection(t, 'audit_events').countDocuments({});
    await page
      .getByTestId('chain-result')
      .getByText(`Chain valid: all ${events} events are in place, unchanged and in order.`, {
        exact: true,
      })
      .waitFor();
    await page.getByText(`${events} events`, { exact: true }).waitFor();

    await page.getByLabel('Event type').selectOption('user_deleted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 event', { exact: true }).waitFor();
    const row = page.getByTestId('audit-row');
    // Erasure forgets the person: the event names the account by id, and no longer its address.
    await expect(row.textContent()).resolves.toMatch(/User deleted.*user [0-9a-f]{24}/);
    await expect(row.textContent()).resolves.not.toMatch(/email: /);
    await expect(page.getByLabel('Event type').inputValue()).resolves.toBe('user_deleted');
    await screenshot(page, 'audit');
    await expectCleanPage(page, watch);

    // The actor's id filters to everything they did.
    await row.getByRole('button', { name: `user ${admin.id}: show only their events` }).click();
    await expect(page.getByLabel('Actor id (user or link)').inputValue()).resolves.toBe(admin.id);
    const byAdmin = await collection(t, 'audit_events').countDocuments({
      type: 'user_deleted',
      'actor.userId': admin.id,
    });
    await page.getByText(`${byAdmin} event`, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText(`${events} events`, { exact: true }).waitFor();
    await expect(page.getByLabel('Actor id (user or link)').inputValue()).resolves.toBe('');

    // A date range: nothing has happened tomorrow yet, everything happened up to today.
    const day = (offset: number) => {
      const date = new Date(Date.now() + offset * 24 * 3600 * 1000);
      const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
      return local.toISOString().slice(0, 10);
    };
    await page.getByLabel('From').fill(day(1));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No event matches these filters.').waitFor();
    await page.getByLabel('From').fill(day(-1));
    await page.getByLabel('To', { exact: true }).fill(day(0));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText(`${events} events`, { exact: true }).waitFor();
    await expectCleanPage(page, watch);
  });

  it('says plainly where the chain breaks when an event was altered', async () => {
    const { page, watch } = auditorPage;
    const events = collection(t, 'audit_events');
    await events.updateOne({ seq: 3 }, { $set: { 'details.tampered': true } });
    await page.getByRole('button', { name: 'Verify again' }).click();
    const checked = await events.countDocuments({});
    await page
      .getByTestId('chain-result')
      .getByText(
        `Chain broken at event 3: it was changed, removed or reordered (${checked} events checked).`,
        { exact: true },
      )
      .waitFor();
    await screenshot(page, 'audit-chain-broken');
    await expectCleanPage(page, watch);
  });

  it('fits a phone screen, in the dark theme too', async () => {
    const { page, watch } = auditorPage;
    await page.setViewportSize({ width: 390, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await heading(page, 'Audit trail');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'audit-phone-dark');
    await expectCleanPage(page, watch);
    await auditorPage.context.close();
  });
});
