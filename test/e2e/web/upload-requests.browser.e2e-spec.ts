/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  signInInBrowser,
} from '../../support/browser';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

/** The requester creates a request in the web app, a visitor sends a file, the list counts it. */
describe('upload requests in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let owner: Account;

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp();
    t = listening;
    baseUrl = listening.baseUrl;
    owner = await signUp(t, 'web-requester');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a request, shows its link once, counts what arrives, and closes it', async () => {
    const { context, page, watch } = await signInInBrowser(browser, baseUrl, owner);
    await page.getByRole('link', { name: 'Requests' }).click();
    await page.getByRole('heading', { level: 1, name: 'Upload requests' }).waitFor();
    await page.getByLabel('Title').fill('Tax documents');
    await page.getByLabel('Most files (optional)').fill('2');
    await page.getByRole('button', { name: 'Create request' }).click();
    const url = await page.getByLabel('Link to send').inputValue();
    expect(url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
    await expectCleanPage(page, watch);
    await screenshot(page, 'web-upload-requests');

    const visitor = await browser.newContext({ javaScriptEnabled: false });
    const visit = await visitor.newPage();
    await visit.goto(`${baseUrl}${new URL(url).pathname}`);
    await visit.getByLabel('Choose a file to send').setInputFiles({
      name: 'w2.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('wages'),
    });
    await visit.getByRole('button', { name: 'Send', exact: true }).click();
    await visit.getByRole('status').getByText('“w2.txt” was sent.').waitFor();
    await visitor.close();

    await page.reload();
    const row = page.getByRole('row', { name: /Tax documents/ });
    await row.getByText('1 file, 5 B').waitFor();
    await row.getByRole('button', { name: 'Close Tax documents' }).click();
    await row.getByText('closed').waitFor();
    await expectCleanPage(page, watch);
    await context.close();
  });
});
