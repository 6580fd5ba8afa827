import type { Browser } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
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
    t = await createListeningTestApp({ env: { RATE_LIMIT_MAX: '40', RATE_LIMIT_WINDOW: '1m' } });
    person = await signUp(t, 'web-rate-limited');
    browser = await launchChromium();
    session = await signInInBrowser(browser, t.baseUrl, person);
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await t?.close();
  });

  it('says until when, when a search is refused for too many requests', async () => {
    let status = 200;
    // The limit is per route and client address: the list the search asks for, from the
    // address the browser uses.
    for (let sent = 0; status !== 429 && sent < 60; sent++) {
      const answer = await fetch(`${t.baseUrl}/api/v1/files?q=spent`, {
        headers: { authorization: person.bearer },
      });
      await answer.arrayBuffer();
      status = answer.status;
    }
    expect(status).toBe(429);
    await session.page.getByLabel('Search by name').fill('report');
    const alert = session.page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /^Too many requests; .* \(at \d{1,2}:\d{2}:\d{2}.*\)\.$/,
    );
    await expectCleanPage(session.page, session.watch, [/status of 429/]);
  });
});
