/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { signUp, uniqueEmail } from '../../support/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../../support/browser';
import { type MockOidcProvider, oidcEnv, startOidcProvider } from '../../support/oidc-provider';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

/**
 * Single sign-on as a person does it: the button on the sign-in page, the provider's own page,
 * and back to the web app signed in; and a refusal shown on the sign-in page.
 */
describe('single sign-on in headless Chromium', () => {
  let provider: MockOidcProvider;
  let t: ListeningTestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebAppBuilt();
    provider = await startOidcProvider();
    t = await createListeningTestApp({
      env: oidcEnv(provider, { OIDC_ACCESS_CLAIM: 'groups', OIDC_ACCESS_VALUES: 'staff' }),
    });
    await signUp(t, 'existing');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    // The provider's page asks a CDN for its stylesheet; the test machine has no internet.
    await context.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
      (route) => route.abort(),
    );
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.stop();
  });

  const signInThroughProvider = async (sub: string) => {
    await page.goto(t.baseUrl);
    await page.getByRole('link', { name: 'Sign in with Acme Login' }).click();
    await page.waitForURL(`${provider.issuer}/**`, { waitUntil: 'commit' });
    await page.locator('input[name="sub"]').fill(sub);
    await page.getByRole('button', { name: 'Authorize' }).click();
  };

  it('the button leads through the provider and back, signed in', async () => {
    await page.goto(t.baseUrl);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'sign-in-with-sso');

    const email = uniqueEmail('browser-sso');
    await provider.setClaims('browser-person', { email, groups: ['staff'] });
    await signInThroughProvider('browser-person');

    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
    await expect(page.getByText(`Signed in as ${email}`).count()).resolves.toBe(1);
    // A reload keeps the session: the refresh cookie the callback set is the web app's own.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  }, 60_000);

  it('a refusal comes back to the sign-in page with what to do', async () => {
    await provider.setClaims('no-access', { email: uniqueEmail('no-access'), groups: ['x'] });
    await signInThroughProvider('no-access');

    await page.waitForURL(`${t.baseUrl}/sign-in?sso_error=access_denied`);
    await page.getByRole('alert').filter({ hasText: 'not allowed to use this service' }).waitFor();
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'sign-in-sso-refused');
  }, 60_000);
});
