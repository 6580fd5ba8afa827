/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import { launchChromium, screenshot, seriousViolationsWithoutScripts } from '../../support/browser';
import { createLink as createFileLink, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const PASSWORD = 'amber walrus 1847';

/** The SHA-256 of what the browser saved. */
const downloadedBytesHash = async (download: Download) =>
  sha256(await readFile(await download.path()));

/** The page needs no script: every test runs in a browser with JavaScript switched off. */
describe('the link page in headless Chromium, without JavaScript', () => {
  let t: TestApp;
  let owner: Account;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors (CSP violations among them); each test states which it expects. */
  let consoleErrors: string[];

  /** Exactly 81 KiB, which the page shows as "81 KB". */
  const payload = Buffer.from(
    Array.from({ length: 4000 }, (_, line) => `quarterly report, line ${line}\n`).join(''),
  ).subarray(0, 81 * 1024);
  let fileId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    owner = await signUp(t, 'browser-owner', { displayName: 'Margaret Hamilton' });
    fileId = (await upload(t, owner, payload, 'Quarterly report Q3.txt').expect(201)).body
      .id as string;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ acceptDownloads: true, javaScriptEnabled: false });
    page = await context.newPage();
    consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });
  afterEach(() => context.close());

  const seriousViolations = (colorScheme: 'light' | 'dark' = 'light') =>
    seriousViolationsWithoutScripts(browser, page, colorScheme);
  const createLink = (body: Record<string, unknown> = {}) => createFileLink(t, owner, fileId, body);
  const details = () => page.locator('dl').innerText();
  /** Presses the button and waits for both the download and the page that announces it. */
  async function download(button: string): Promise<Download> {
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.getByRole('status').getByText('Your download has started.').waitFor();
    return saved;
  }

  it('shows who shared the file, when the link expires and the downloads left, and downloads the exact bytes', async () => {
    const expiresAt = new Date(Date.now() + 5 * 24 * 3600_000);
    const { token } = await createLink({ expiresAt: expiresAt.toISOString(), maxDownloads: 3 });
    const response = await page.goto(`${baseUrl}/s/${token}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Quarterly report Q3.txt');
    await expect(page.locator('p.size').textContent()).resolves.toBe('81 KB');
    const utcDate = expiresAt.toLocaleString('en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    await expect(details()).resolves.toMatch(
      new RegExp(
        [
          `Shared by\\s+Margaret Hamilton \\(${owner.email}\\)`,
          `Expires\\s+${utcDate} UTC \\(in 5 days\\)`,
          'Downloads\\s+3 downloads left',
        ].join('\\s+'),
      ),
    );
    // The nonce lets the page's own style through the CSP: the button has the app's accent.
    await expect(
      page
        .getByRole('button', { name: 'Download' })
        .evaluate(
          (element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor,
        ),
    ).resolves.toBe('rgb(31, 94, 255)');
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'link-page');

    const saved = await download('Download');
    expect(saved.suggestedFilename()).toBe('Quarterly report Q3.txt');
    expect(await downloadedBytesHash(saved)).toBe(sha256(payload));
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'link-page-started');

    await page.goto(`${baseUrl}/s/${token}`);
    await expect(details()).resolves.toMatch(/2 downloads left/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(seriousViolations('dark')).resolves.toEqual([]);
    await screenshot(page, 'link-page-dark');
    expect(consoleErrors).toEqual([]);
  });

  it('takes the password through the form: a wrong one is refused, the right one downloads', async () => {
    const { token } = await createLink({ password: PASSWORD });
    await page.goto(`${baseUrl}/s/${token}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Quarterly report Q3.txt');
    await expect(details()).resolves.toMatch(/Shared by\s+Margaret Hamilton/);
    await expect(page.getByRole('button', { name: 'Download', exact: true }).count()).resolves.toBe(
      0,
    );

    await page.getByLabel('This file is protected by a password').fill('not the password');
    const refused = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Unlock and download' }).click(),
    ]);
    expect(refused[0].status()).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong password; try again.');
    expect(page.url()).toBe(`${baseUrl}/s/${token}`);
    expect(page.url()).not.toContain('not the password');
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'link-page-password');

    await page.getByLabel('This file is protected by a password').fill(PASSWORD);
    const saved = await download('Unlock and download');
    expect(saved.url()).toMatch(new RegExp(`/api/v1/public/links/${token}/content\\?grant=`));
    expect(saved.url()).not.toContain('walrus');
    expect(await downloadedBytesHash(saved)).toBe(sha256(payload));
    // The refused attempt's own 401 is the only error the browser reports: no CSP violation.
    expect(consoleErrors).toEqual([expect.stringMatching(/status of 401/)]);
  });

  it('says plainly that a revoked link is gone, naming nobody', async () => {
    const { id, token } = await createLink();
    await t.http().delete(`/api/v1/links/${id}`).set('Authorization', owner.bearer).expect(204);
    const response = await page.goto(`${baseUrl}/s/${token}`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'This link is no longer available',
    );
    await expect(page.getByText('Ask the person who sent it for a new one').count()).resolves.toBe(
      1,
    );
    await expect(page.locator('body').innerText()).resolves.not.toMatch(/Margaret|@/);
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'link-page-gone');
    expect(consoleErrors).toEqual([expect.stringMatching(/status of 404/)]);
  });
});
