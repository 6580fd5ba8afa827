/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ADMIN_ENV, type Account, OTHER_STRONG_PASSWORD, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  type PageWatch,
  screenshot,
  submitPassword,
  watchPage,
} from '../../support/browser';
import { clearOfStepEdge, enrolTotp, totpCode } from '../../support/mfa';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

/**
 * Moves the page's clock on by `time` until `shown` appears. The step sets its deadline's timer in
 * an effect, just after it renders: under load the first move can come before the timer exists.
 */
async function outlive(
  page: Page,
  time: string,
  shown: Locator,
  what = 'the next step',
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.clock.fastForward(time);
    const appeared = await shown.waitFor({ timeout: 2_000 }).then(
      () => true,
      () => false,
    );
    if (appeared) return;
    if (attempt === 5) throw new Error(`${time} later, the page still does not show ${what}`);
  }
}

const heading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name, exact: true });

/** The setup key as the page shows it for typing into an app, without its spaces. */
const secretOnPage = async (page: Page) =>
  ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');

const recoveryCodesOnPage = (page: Page) =>
  page.getByTestId('recovery-codes').locator('code').allTextContents();

/** A six-digit code that is not the one the app shows now. */
const wrongCode = (right: string) => String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

/** A code from the authenticator, typed when it is far enough from the turn of its time step. */
async function enterCode(page: Page, label: string, secret: string, offsetSeconds = 0) {
  await clearOfStepEdge();
  await page.getByLabel(label, { exact: true }).fill(totpCode(secret, offsetSeconds));
}

interface BrowserSession {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}

async function openSession(browser: Browser, baseUrl: string): Promise<BrowserSession> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  return { context, page, watch: await watchPage(page, baseUrl) };
}

describe('two-step sign-in and the security page in the web app', () => {
  let t: ListeningTestApp;
  let browser: Browser;
  let person: Account;
  let page: Page;
  let watch: PageWatch;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    ensureWebAppBuilt();
    t = await createListeningTestApp({
      env: { LOGIN_LOCKOUT_THRESHOLD: '3', LOGIN_IP_LOCKOUT_THRESHOLD: '1000' },
    });
    person = await signUp(t, 'web-mfa');
    browser = await launchChromium();
    ({ page, watch } = await openSession(browser, t.baseUrl));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in').waitFor();
  };

  it('sets up the authenticator app from the security page, with the recovery codes shown once', async () => {
    await page.goto(`${t.baseUrl}/sign-in`);
    await submitPassword(page, person);
    await heading(page, 'My files').waitFor();
    await page.getByRole('link', { name: 'Security' }).click();
    await heading(page, 'Security').waitFor();
    await page.getByText(/^Off\. /).waitFor();
    await screenshot(page, 'security-settings');
    await expectCleanPage(page, watch);

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: /QR code to add Strongroom/ }).waitFor();
    secret = await secretOnPage(page);
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    await screenshot(page, 'security-totp-setup');
    await expectCleanPage(page, watch);

    // One step behind, so the current and next steps stay unspent for the sign-ins below.
    await enterCode(page, 'Authenticator code', secret, -30);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    recoveryCodes = await recoveryCodesOnPage(page);
    expect(recoveryCodes).toHaveLength(10);
    const next = page.getByRole('button', { name: 'Continue' });
    await expect(next.isDisabled()).resolves.toBe(true);
    await screenshot(page, 'security-recovery-codes');
    await expectCleanPage(page, watch);

    await page.getByLabel('I have saved these codes somewhere safe').check();
    await next.click();
    await page.getByText('Two-step verification is on.', { exact: false }).waitFor();
    await page.getByText(/^On since .*\. 10 recovery codes left\.$/).waitFor();
    await expect(page.getByTestId('recovery-codes').count()).resolves.toBe(0);
    await expectCleanPage(page, watch);
  });

  it('then asks for a code after the password: a wrong one is refused, the right one signs in', async () => {
    await signOut();
    await submitPassword(page, person);
    await heading(page, 'Two-step verification').waitFor();
    const code = page.getByLabel('Authenticator code', { exact: true });
    await expect(code.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await expect(code.getAttribute('inputmode')).resolves.toBe('numeric');
    // The step focuses its field after it renders.
    await page.waitForFunction(() => document.activeElement?.id === 'code');
    await screenshot(page, 'sign-in-code');
    await expectCleanPage(page, watch);

    await code.fill(wrongCode(totpCode(secret)));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Invalid or already used code',
    );
    await expectCleanPage(page, watch, [/status of 401/]);

    await enterCode(page, 'Authenticator code', secret);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'My files').waitFor();
    // The mfaToken and the tokens it led to stay in memory; the refresh token in its cookie.
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie,
    );
    expect(stored).not.toMatch(/eyJ/);
    const cookies = await page.context().cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly])).toEqual([
      ['strongroom_refresh', true],
    ]);
    await page.reload();
    await heading(page, 'My files').waitFor();
    await expectCleanPage(page, watch);
  });

  it('signs in with a recovery code once; the same code again is refused', async () => {
    await signOut();
    await submitPassword(page, person);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0].toUpperCase());
    await screenshot(page, 'sign-in-recovery-code');
    await expectCleanPage(page, watch);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'My files').waitFor();

    await signOut();
    await submitPassword(page, person);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Invalid or already used code',
    );
    await expectCleanPage(page, watch, [/status of 401/]);

    await page.getByRole('button', { name: 'Use the authenticator app instead' }).click();
    // The current step was spent by the last sign-in; the next one is within the window.
    await enterCode(page, 'Authenticator code', secret, 30);
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'My files').waitFor();
    await expectCleanPage(page, watch);
  });

  it('sends the person back to the password, saying why, when the code step outlives its mfaToken', async () => {
    const session = await openSession(browser, t.baseUrl);
    await session.page.clock.install();
    await session.page.goto(`${t.baseUrl}/sign-in`);
    await submitPassword(session.page, person);
    await heading(session.page, 'Two-step verification').waitFor();
    await outlive(session.page, '05:01', heading(session.page, 'Sign in'), 'the password step');
    await expect(session.page.getByRole('status').textContent()).resolves.toMatch(
      /waited too long for the code.*Enter your password again/,
    );
    await expectCleanPage(session.page, session.watch);
    await session.context.close();
  });

  it('after too many wrong codes, says the account is locked and until when', async () => {
    const locked = await signUp(t, 'web-mfa-locked');
    const factor = await enrolTotp(t, locked);
    const session = await openSession(browser, t.baseUrl);
    await session.page.goto(`${t.baseUrl}/sign-in`);
    await submitPassword(session.page, locked);
    await heading(session.page, 'Two-step verification').waitFor();
    const verify = session.page.getByRole('button', { name: 'Verify', exact: true });
    const refusals: RegExp[] = [];
    let text = '';
    while (!/try again/.test(text) && refusals.length < 5) {
      await session.page
        .getByLabel('Authenticator code', { exact: true })
        .fill(wrongCode(totpCode(factor.secret)));
      const [answer] = await Promise.all([
        session.page.waitForResponse('**/api/v1/auth/mfa/verify'),
        verify.click(),
      ]);
      refusals.push(new RegExp(`status of ${answer.status()}`));
      await verify.waitFor();
      text = (await session.page.getByRole('alert').textContent()) ?? '';
    }
    expect(text).toMatch(
      /^Too many failed sign-ins for this account; try again in \d+ seconds \(at \d{1,2}:\d{2}:\d{2}.*\)\.$/,
    );
    await expectCleanPage(session.page, session.watch, refusals);
    await session.context.close();
  });

  it('turns the authenticator off with the password and a code; the password alone signs in again', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    await heading(page, 'Security').waitFor();
    await page.getByText(/^On since .*\. 9 recovery codes left\.$/).waitFor();
    await screenshot(page, 'security-totp-on');
    await expectCleanPage(page, watch);

    await page.getByLabel('Your password').fill(OTHER_STRONG_PASSWORD);
    await page.getByLabel('Authenticator or recovery code').fill(recoveryCodes[1]);
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'password is not your current password',
    );
    await expectCleanPage(page, watch, [/status of 400/]);

    await page.getByLabel('Your password').fill(person.password);
    await page.getByLabel('Authenticator or recovery code').fill(recoveryCodes[1]);
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await page.getByText('Two-step verification is off.').waitFor();
    await page.getByText(/^Off\. /).waitFor();

    await signOut();
    await submitPassword(page, person);
    await heading(page, 'My files').waitFor();
    await expectCleanPage(page, watch);
  });

  it('changes the password from the security page, which ends the session, and signs in with the new one', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    await heading(page, 'Security').waitFor();
    await expect(page.locator('#new-password-rules').textContent()).resolves.toMatch(
      /12 to 128 characters/,
    );
    await page.getByLabel('Current password', { exact: true }).fill(person.password);
    await page.getByLabel('New password', { exact: true }).fill(OTHER_STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await heading(page, 'Sign in').waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Password changed and every session ended. Sign in with your new password.',
    );
    expect(await page.context().cookies()).toEqual([]);
    await t.http().get('/api/v1/users/me').set('Authorization', person.bearer).expect(401);

    await submitPassword(page, { email: person.email, password: OTHER_STRONG_PASSWORD });
    await heading(page, 'My files').waitFor();
    await expectCleanPage(page, watch);
  });

  it('fits the security page on a phone, in the dark theme too', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('link', { name: 'Security' }).click();
    await heading(page, 'Security').waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: /QR code to add Strongroom/ }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'security-phone-dark');
    await expectCleanPage(page, watch);
  });
});

describe('sign-in for a role that must have a second factor (MFA_REQUIRED_ROLES)', () => {
  let t: ListeningTestApp;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebAppBuilt();
    t = await createListeningTestApp({ env: { ...ADMIN_ENV, MFA_REQUIRED_ROLES: 'admin' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('walks an admin without a factor through the setup, the recovery codes, and in', async () => {
    const { page, watch, context } = await openSession(browser, t.baseUrl);
    const admin = { email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD };
    await page.goto(`${t.baseUrl}/sign-in`);
    await submitPassword(page, admin);
    await heading(page, 'Set up two-step verification').waitFor();
    await page.getByText('Your role needs a second step to sign in.', { exact: false }).waitFor();
    await page.getByRole('img', { name: /QR code to add Strongroom/ }).waitFor();
    const secret = await secretOnPage(page);
    await screenshot(page, 'sign-in-enrolment');
    await expectCleanPage(page, watch);

    await enterCode(page, 'Authenticator code', secret);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    const codes = await recoveryCodesOnPage(page);
    expect(codes).toHaveLength(10);
    await expectCleanPage(page, watch);

    await page.getByRole('button', { name: 'Copy codes' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      codes.join('\n'),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as text' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('strongroom-recovery-codes.txt');
    const saved = await readFile(await download.path(), 'utf8');
    for (const code of codes) expect(saved).toContain(`\n${code}\n`);

    // Not signed in until the codes are saved: the page still belongs to sign-in.
    await expect(page.getByRole('link', { name: 'Security' }).count()).resolves.toBe(0);
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading(page, 'My files').waitFor();
    await page.reload();
    await heading(page, 'My files').waitFor();
    await expectCleanPage(page, watch);

    // From now on the admin signs in with the usual two steps.
    const login = await t.http().post('/api/v1/auth/login').send(admin).expect(200);
    expect(login.body.mfaRequired).toBe(true);
    await context.close();
  });
});
