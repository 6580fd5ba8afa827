/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type Account, collection, signUp, STRONG_PASSWORD } from '../../support/accounts';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../../support/browser';
import { downloadContent, sha256 } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';
import { createUploadRequest } from '../../support/upload-requests';

/** The page needs no script: every test runs in a browser with JavaScript switched off. */
describe('the upload request page in headless Chromium, without JavaScript', () => {
  let t: TestApp;
  let owner: Account;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    owner = await signUp(t, 'browser-requester', { displayName: 'Katherine Johnson' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });
  afterEach(() => context.close());

  /** axe needs scripts: the page as it is now is checked in a browser that runs them. */
  async function seriousViolations(colorScheme: 'light' | 'dark' = 'light'): Promise<string[]> {
    const checker = await browser.newPage({ colorScheme });
    await checker.route('**/*', (route) => route.abort());
    await checker.setContent(await page.content());
    const violations = await seriousAccessibilityViolations(checker);
    await checker.close();
    return violations;
  }
  const file = (name: string, text: string) => ({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.from(text),
  });

  it('sends files through the plain form, shows only what this browser sent, light and dark', async () => {
    const request = await createUploadRequest(t, owner, {
      title: 'Flight data for review',
      message: 'Please send the trajectory tables.',
      maxFiles: 3,
    });
    await page.goto(`${baseUrl}/r/${request.token}`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'Flight data for review',
    );
    await expect(page.locator('dl').innerText()).resolves.toContain('Katherine Johnson');
    await expect(seriousViolations()).resolves.toEqual([]);
    await expect(seriousViolations('dark')).resolves.toEqual([]);
    await screenshot(page, 'upload-request-page');

    await page.getByLabel('Choose a file to send').setInputFiles(file('orbit.csv', 'a,b\n1,2\n'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('status').getByText('“orbit.csv” was sent.').waitFor();
    await page.getByLabel('Choose a file to send').setInputFiles(file('reentry.csv', 'c\n3\n'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('status').getByText('“reentry.csv” was sent.').waitFor();
    await expect(page.locator('ul.sent li').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('orbit.csv'),
      expect.stringContaining('reentry.csv'),
    ]);
    await expect(page.locator('dl').innerText()).resolves.toMatch(/Files left\s+1/);
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'upload-request-page-sent');

    // Another browser (another visit) sees none of it.
    const other = await browser.newContext({ javaScriptEnabled: false });
    const otherPage = await other.newPage();
    await otherPage.goto(`${baseUrl}/r/${request.token}`);
    await expect(otherPage.locator('ul.sent').count()).resolves.toBe(0);
    await other.close();

    const received = await collection(t, 'files')
      .find({ uploadRequestId: new Types.ObjectId(request.id) })
      .sort({ uploadedAt: 1 })
      .toArray();
    expect(received.map((row) => row.name)).toEqual(['orbit.csv', 'reentry.csv']);
    expect(sha256(await downloadContent(t, owner, String(received[0]._id)))).toBe(
      sha256(Buffer.from('a,b\n1,2\n')),
    );
    expect(consoleErrors).toEqual([]);
  });

  it('asks for the password first, says when it is wrong, then takes the file', async () => {
    const request = await createUploadRequest(t, owner, {
      title: 'Signed forms',
      password: STRONG_PASSWORD,
    });
    await page.goto(`${baseUrl}/r/${request.token}`);
    await expect(page.getByLabel('Choose a file to send').count()).resolves.toBe(0);
    const password = page.getByLabel('This upload request is protected by a password');
    await password.fill('not it at all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').getByText('Wrong password').waitFor();
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'upload-request-page-password');

    await password.fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Choose a file to send').setInputFiles(file('form.txt', 'signed'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('status').getByText('“form.txt” was sent.').waitFor();
    expect(consoleErrors).toEqual([expect.stringMatching(/status of 401/)]);
  });

  it('says plainly when the request is closed', async () => {
    const request = await createUploadRequest(t, owner);
    await t
      .http()
      .post(`/api/v1/upload-requests/${request.id}/close`)
      .set('Authorization', owner.bearer)
      .expect(200);
    await page.goto(`${baseUrl}/r/${request.token}`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'This upload request is no longer open',
    );
    await expect(seriousViolations()).resolves.toEqual([]);
    await screenshot(page, 'upload-request-page-gone');
  });
});
