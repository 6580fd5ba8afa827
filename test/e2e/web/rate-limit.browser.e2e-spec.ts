import type { Browser } from 'playwright-core';
import { type Account, signUp, STRONG_PASSWORD, uniqueEmail } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  type SignedInPage,
  signInInBrowser,
} from '../../support/browser';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

/**
 * A person who runs into the general rate limit is told when they may go on, not to read a
 * header they cannot see: the files page shows the API's refusal with the time it ends.
 */
describe('the rate limit in the web app', () => {
  let t: ListeningTestApp;
  let browser: Browser;
  let person: Account;
  let session: SignedInPage;

  beforeAll(async () => {
    ensureWebAppBuilt();
    // Counted per client address.
    t = await createListeningTestApp({
      env: { RATE_LIMIT_MAX: '40', AUTH_RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '1m' },
    });
    person = await signUp(t, 'web-rate-limited');
    browser = await launchChromium();
    session = await signInInBrowser(browser, t.baseUrl, person);
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await t?.close();
  });

  /**
   * Spends a route's budget: the limit is per route and client address, and this test calls from
   * the address the browser uses.
   */
  async function exhaust(path: string, init: RequestInit): Promise<void> {
    let status = 200;
    for (let sent = 0; status !== 429 && sent < 60; sent++) {
      const answer = await fetch(`${t.baseUrl}${path}`, init);
      await answer.arrayBuffer();
      status = answer.status;
    }
    expect(status).toBe(429);
  }

  it('says until when, when a search is refused for too many requests', async () => {
    await exhaust('/api/v1/files?q=spent', { headers: { authorization: person.bearer } });
    await session.page.getByLabel('Search by name').fill('report');
    const alert = session.page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /^Too many requests; .* \(at \d{1,2}:\d{2}:\d{2}.*\)\.$/,
    );
    await expectCleanPage(session.page, session.watch, [/status of 429/]);
  });

  it('says until when, when creating an account is refused for too many attempts', async () => {
    await exhaust('/api/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/register`);
    await page.getByLabel('Email').fill(uniqueEmail('web-register-limited'));
    await page.getByLabel('Password', { exact: true }).fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /^Too many .* \(at \d{1,2}:\d{2}:\d{2}.*\)\.$/,
    );
    await context.close();
  });
});
