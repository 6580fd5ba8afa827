import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import { launchChromium } from '../../support/browser';
import { createLink as createFileLink, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const PASSWORD = 'amber walrus 1847';

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The SHA-256 of what the browser saved. */
async function downloadedBytesHash(download: Download): Promise<string> {
  const file = await download.path();
  return sha256OfFile(file);
}

describe('the link page in headless Chromium', () => {
  let t: TestApp;
  let owner: Account;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors and CSP violations; each test states which it expects. */
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
    owner = await signUp(t, 'browser-owner');
    fileId = (await upload(t, owner, payload, 'Quarterly report Q3.txt').expect(201)).body
      .id as string;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  afterEach(() => context.close());

  const createLink = (body: Record<string, unknown> = {}) => createFileLink(t, owner, fileId, body);

  it('shows name and size and downloads the exact bytes', async () => {
    const { token } = await createLink();
    const response = await page.goto(`${baseUrl}/s/${token}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Quarterly report Q3.txt');
    await expect(page.locator('p.meta').textContent()).resolves.toBe('81 KB');

    // The nonce lets the page's own style through the CSP: the button is styled.
    await expect(
      page
        .getByRole('link', { name: 'Download' })
        .evaluate(
          (element) => element.ownerDocument.defaultView?.getComputedStyle(element).backgroundColor,
        ),
    ).resolves.toBe('rgb(31, 94, 255)');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Quarterly report Q3.txt');
    expect(await downloadedBytesHash(download)).toBe(sha256(payload));
    expect(consoleErrors).toEqual([]);
  });

  it('takes the password through the form: a wrong one is refused, the right one downloads', async () => {
    const { token } = await createLink({ password: PASSWORD });
    await page.goto(`${baseUrl}/s/${token}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Quarterly report Q3.txt');
    await expect(page.getByRole('link', { name: 'Download' }).count()).resolves.toBe(0);

    await page.getByLabel('This file is protected by a password').fill('not the password');
    const refused = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Unlock and download' }).click(),
    ]);
    expect(refused[0].status()).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong password; try again.');
    expect(page.url()).toBe(`${baseUrl}/s/${token}`);
    expect(page.url()).not.toContain('not the password');

    await page.getByLabel('This file is protected by a password').fill(PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unlock and download' }).click(),
    ]);
    expect(download.url()).toMatch(new RegExp(`/api/v1/public/links/${token}/content\\?grant=`));
    expect(download.url()).not.toContain('walrus');
    expect(await downloadedBytesHash(download)).toBe(sha256(payload));
    // The refused attempt's own 401 is the only error the browser reports: no CSP violation.
    expect(consoleErrors).toEqual([expect.stringMatching(/status of 401/)]);
  });

  it('says plainly that a revoked link is gone', async () => {
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
    expect(consoleErrors).toEqual([expect.stringMatching(/status of 404/)]);
  });
});
