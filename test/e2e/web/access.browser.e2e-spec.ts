import type { Browser } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  signInInBrowser,
  type SignedInPage,
} from '../../support/browser';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

jest.setTimeout(90_000);

describe('sessions and API keys on the security page', () => {
  let t: ListeningTestApp;
  let browser: Browser;
  let person: Account;
  let desk: SignedInPage;
  let phone: SignedInPage;

  beforeAll(async () => {
    ensureWebAppBuilt();
    t = await createListeningTestApp();
    person = await signUp(t, 'web-access');
    browser = await launchChromium();
    desk = await signInInBrowser(browser, t.baseUrl, person);
    phone = await signInInBrowser(browser, t.baseUrl, person, { width: 390, height: 844 });
    // Fail with the locator that did not appear, before the test's own timeout.
    for (const { page } of [desk, phone]) page.setDefaultTimeout(30_000);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A refresh with the browser's own cookie, as its next page load would make. */
  const refreshFrom = async ({ context }: SignedInPage) =>
    (
      await context.request.post(`${t.baseUrl}/api/v1/auth/refresh`, {
        headers: { Origin: t.baseUrl },
        data: {},
      })
    ).status();

  const securityPage = async ({ page }: SignedInPage) => {
    await page.goto(`${t.baseUrl}/settings/security`);
    await page.getByRole('heading', { level: 2, name: 'Where you are signed in' }).waitFor();
  };

  it('lists where the account is signed in and signs another browser out at once', async () => {
    await securityPage(desk);
    const sessions = desk.page.getByRole('region', {
      name: 'Where you are signed in',
      exact: true,
    });
    await sessions.getByText('this browser').waitFor();
    // The other sessions: the phone's browser, and the API sign-in that made the account.
    const endButtons = sessions.getByRole('button', { name: /^Sign out .* at / });
    expect(await endButtons.count()).toBe(2);
    const phoneButton = sessions.getByRole('button', { name: /^Sign out .*Chrom.* at / });
    await expectCleanPage(desk.page, desk.watch);
    await sessions.scrollIntoViewIfNeeded();
    await screenshot(desk.page, 'security-sessions');

    // The phone's cookie works until then (the refresh rotates it in the phone's cookie jar).
    expect(await refreshFrom(phone)).toBe(200);
    await phoneButton.click();
    await sessions
      .getByRole('status')
      .getByText(/is signed out\./)
      .waitFor();
    expect(await endButtons.count()).toBe(1);

    // The phone's refresh cookie no longer works, so its next page load cannot sign it back in.
    expect(await refreshFrom(phone)).toBe(401);
  });

  it('creates a scoped API key shown once, which works until it is revoked', async () => {
    const { page } = desk;
    const keys = page.getByRole('region', { name: 'API keys', exact: true });
    await keys.getByText('No API keys yet.').waitFor();
    await keys.getByLabel('Name', { exact: true }).fill('CI uploader');
    await keys.getByRole('checkbox', { name: /files:read/ }).check();
    await keys.getByLabel('Expires in').selectOption('30');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const secret = await keys.getByLabel(/shown only this once/).inputValue();
    expect(secret).toMatch(/^sr_[0-9A-Za-z]{40,}$/);
    await keys.getByRole('cell', { name: /^CI uploader sr_/ }).waitFor();
    await expectCleanPage(page, desk.watch);
    await keys.getByRole('heading', { name: 'API keys' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'security-api-keys');

    const asKey = (path: string) =>
      fetch(`${t.baseUrl}${path}`, { headers: { Authorization: `Bearer ${secret}` } });
    expect((await asKey('/api/v1/files')).status).toBe(200);
    expect((await asKey('/api/v1/users/me/api-keys')).status).toBe(403);

    await keys.getByRole('button', { name: 'Revoke CI uploader' }).click();
    await keys
      .getByRole('status')
      .getByText('CI uploader is revoked; it no longer works.')
      .waitFor();
    expect((await asKey('/api/v1/files')).status).toBe(401);
  });

  it('"Sign out everywhere" ends this browser too', async () => {
    await desk.page
      .getByRole('region', { name: 'Where you are signed in', exact: true })
      .getByRole('button', { name: 'Sign out everywhere', exact: true })
      .click();
    await desk.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await desk.page.getByText('You are signed out everywhere, this browser included.').waitFor();
    await expectCleanPage(desk.page, desk.watch);
  });
});
