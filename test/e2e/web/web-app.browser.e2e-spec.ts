/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import {
  launchChromium,
  type PageWatch,
  screenshot,
  seriousAccessibilityViolations,
  watchPage,
} from '../../support/browser';
import { sha256 } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import {
  dropFiles,
  ensureWebAppBuilt,
  type PatternFile,
  patternBytes,
} from '../../support/web-app';

const MAX_FILE_SIZE = 4 * 1024 * 1024;

/** Distinct bytes per file, so each one's hash proves it arrived whole. */
const patterned = (name: string, label: string, size: number): PatternFile => ({
  name,
  line: `${label}: strongroom browser upload\n`,
  size,
});

/**
 * One person's whole visit, in order: first run, registration, sign-in, uploads, refusals,
 * rename, delete, reload and sign-out, in one browser context as a real session would be.
 */
describe('the web app in headless Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let person: Account;

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp({
      env: { MAX_FILE_SIZE: String(MAX_FILE_SIZE) },
    });
    t = listening;
    // Chromium keeps Secure cookies over plain http only for localhost (a secure context).
    baseUrl = listening.baseUrl;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    watch = await watchPage(page, baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Each step ends clean: no console error beyond the ones it expects, no CSP break, no other host. */
  const expectCleanPage = async (expectedErrors: RegExp[] = []) => {
    expect(watch.consoleErrors).toEqual(
      expectedErrors.map((pattern) => expect.stringMatching(pattern)),
    );
    expect(watch.cspViolations).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
    watch.consoleErrors.length = 0;
  };
  /** Waits for the page's title heading: pages render after their data arrives. */
  const showsHeading = (name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

  it('on a fresh installation, says how the first administrator is created', async () => {
    await page.goto(baseUrl);
    await showsHeading('Welcome to Strongroom');
    await expect(
      page.getByText('ADMIN_EMAIL and ADMIN_PASSWORD', { exact: false }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('code').textContent()).resolves.toMatch(/create-admin/);
    await screenshot(page, 'first-run');
    await expectCleanPage();
  });

  it('explains the password rules on the registration page before anyone fails them', async () => {
    person = await signUp(t, 'web');
    await page.goto(`${baseUrl}/register`);
    await showsHeading('Create an account');
    await expect(page.locator('#password-rules').textContent()).resolves.toMatch(
      /12 to 128 characters/,
    );
    await screenshot(page, 'register');
    await expectCleanPage();
  });

  it('signs in with email and password and keeps no token where scripts can read it', async () => {
    await page.goto(`${baseUrl}/files`);
    await showsHeading('Sign in');
    await screenshot(page, 'sign-in');
    await expectCleanPage();

    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await showsHeading('My files');
    expect(page.url()).toBe(`${baseUrl}/files`);

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'strongroom_refresh',
      path: '/api/v1/auth',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    });
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie,
    );
    expect(stored).not.toContain(cookie.value);
    expect(stored).not.toMatch(/eyJ/);
    await expectCleanPage();
  });

  it('uploads three dropped files, each with its own progress bar, and lists them', async () => {
    const files = [
      patterned('Budget 2027.xlsx', 'budget', 1_500_000),
      patterned('Minutes.txt', 'minutes', 48_000),
      patterned('Site photo.jpg', 'photo', 2_200_000),
    ];
    // Slow uploads to a crawl, so progress has something to show.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    await dropFiles(page, files);

    const uploads = page.getByTestId('upload');
    await expect(uploads.count()).resolves.toBe(3);
    await page
      .getByText(/ of .* left$/)
      .first()
      .waitFor();
    await screenshot(page, 'uploading');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="upload"].done').length === 3,
    );
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    for (const file of files) {
      await page.getByRole('cell', { name: file.name, exact: true }).waitFor();
    }
    const listed = await t
      .http()
      .get('/api/v1/files?scope=mine')
      .set('Authorization', person.bearer)
      .expect(200);
    const byName = new Map(
      (listed.body.items as { name: string; sha256: string }[]).map((f) => [f.name, f.sha256]),
    );
    for (const file of files) expect(byName.get(file.name)).toBe(sha256(patternBytes(file)));
    await screenshot(page, 'files');
    await expectCleanPage();
  });

  it("refuses an oversized file with the server's message naming the limit", async () => {
    await page.locator('input[type="file"]').setInputFiles({
      name: 'Too big.iso',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(MAX_FILE_SIZE * 2, 1),
    });
    const alert = page.getByTestId('upload').filter({ hasText: 'Too big.iso' }).getByRole('alert');
    await expect(alert.textContent()).resolves.toMatch(
      new RegExp(`limit of ${MAX_FILE_SIZE} bytes`),
    );
    await screenshot(page, 'upload-refused');
    await expectCleanPage([/status of 413/]);
  });

  it('renames a file in place', async () => {
    await page.getByRole('button', { name: 'Rename Minutes.txt' }).click();
    await page.getByLabel('New name for Minutes.txt').fill('Minutes, approved.txt');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Minutes, approved.txt', exact: true }).waitFor();
    await expect(
      page.getByRole('status').filter({ hasText: 'Renamed' }).textContent(),
    ).resolves.toBe('Renamed to Minutes, approved.txt.');
    await expectCleanPage();
  });

  it('deletes a file after a confirmation', async () => {
    await page.getByRole('button', { name: 'Delete Budget 2027.xlsx' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toMatch(
      /Delete “Budget 2027.xlsx”\? This cannot be undone/,
    );
    await screenshot(page, 'delete-confirmation');
    await expectCleanPage();
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByText('Deleted Budget 2027.xlsx.').waitFor();
    await expect(
      page.getByRole('cell', { name: 'Budget 2027.xlsx', exact: true }).count(),
    ).resolves.toBe(0);
    await expectCleanPage();
  });

  it('keeps the session across a reload, through the refresh cookie', async () => {
    await page.reload();
    await page.getByRole('cell', { name: 'Site photo.jpg', exact: true }).waitFor();
    await showsHeading('My files');
    await expectCleanPage();
  });

  it('keeps the session when its answers land while the page first renders', async () => {
    // A page that does not paint (a background tab, a busy browser) runs its effects late, up to
    // Preact's 35 ms fallback. The setup state is held until the profile has been fetched, and
    // the profile lands just after it: the session settles while the page has rendered but not
    // yet subscribed, and the page must not miss that it did.
    const paintsLate = await context.newPage();
    await paintsLate.addInitScript(() => {
      window.requestAnimationFrame = (callback) => window.setTimeout(() => callback(0), 1000);
    });
    let releaseSetupState!: () => void;
    const profileFetched = new Promise<void>((resolve) => (releaseSetupState = resolve));
    await paintsLate.route('**/api/v1/auth/setup-state', async (route) => {
      const response = await route.fetch();
      await profileFetched;
      await route.fulfill({ response });
    });
    await paintsLate.route('**/api/v1/users/me', async (route) => {
      const response = await route.fetch();
      releaseSetupState();
      await new Promise((resolve) => setTimeout(resolve, 10));
      await route.fulfill({ response });
    });
    await paintsLate.goto(`${baseUrl}/files`);
    await paintsLate.getByRole('cell', { name: 'Site photo.jpg', exact: true }).waitFor();
    await paintsLate.close();
    await expectCleanPage();
  });

  it('keeps the session in two tabs reloaded at once (one refresh token, taken in turns)', async () => {
    const second = await context.newPage();
    await second.goto(`${baseUrl}/shared`);
    await second.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    // Each refresh's answer is held back a moment, so the two tabs' refreshes overlap.
    await context.route('**/api/v1/auth/refresh', async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.fulfill({ response });
    });
    await Promise.all([page.reload(), second.reload()]);
    await showsHeading('My files');
    await second.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    await context.unroute('**/api/v1/auth/refresh');
    // Had both presented the same cookie, reuse detection would have ended the session.
    await page.reload();
    await page.getByRole('cell', { name: 'Site photo.jpg', exact: true }).waitFor();
    await second.close();
    await expectCleanPage();
  });

  it('signs out: the session ends on the server and a reload stays signed out', async () => {
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await showsHeading('Sign in');
    expect(await context.cookies()).toEqual([]);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: cookie.value }).expect(401);
    await page.reload();
    await showsHeading('Sign in');
    await expectCleanPage();
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('cell', { name: 'Site photo.jpg', exact: true }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'files-phone');
    await expectCleanPage();
  });

  it('follows a dark system theme, with the same contrast', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'files-phone-dark');
    await expectCleanPage();
  });
});
