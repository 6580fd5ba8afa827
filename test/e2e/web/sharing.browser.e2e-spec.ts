/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { ADMIN_ENV, type Account, signUp } from '../../support/accounts';
import {
  launchChromium,
  type PageWatch,
  screenshot,
  seriousAccessibilityViolations,
  watchPage,
} from '../../support/browser';
import { sha256, upload } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

const LINK_PASSWORD = 'lantern harbour 2041';
const FILE_NAME = 'Contract draft.txt';
const CONTENT = Buffer.from('Clause 1. The parties agree.\n'.repeat(2000));

const savedHash = async (download: Download) => sha256(await readFile(await download.path()));

/** The owner shares a file with a colleague and through a password link, in the browser. */
describe('sharing in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let owner: Account;
  let colleague: Account;

  beforeAll(async () => {
    ensureWebAppBuilt();
    // A stricter link policy than the default, which the dialog must follow.
    const listening = await createListeningTestApp({
      env: { ...ADMIN_ENV, LINK_MAX_TTL: '10d', LINK_REQUIRE_PASSWORD: 'true' },
    });
    t = listening;
    baseUrl = listening.baseUrl;
    owner = await signUp(t, 'share-owner');
    colleague = await signUp(t, 'share-colleague');
    await upload(t, owner, CONTENT, FILE_NAME).expect(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A fresh browser session signed in as the account, on its My files page. */
  async function signedIn(
    account: Account,
  ): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    const watch = await watchPage(page, baseUrl);
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
    return { context, page, watch };
  }

  const expectClean = async (page: Page, watch: PageWatch, expectedErrors: RegExp[] = []) => {
    expect(watch.consoleErrors).toEqual(
      expectedErrors.map((pattern) => expect.stringMatching(pattern)),
    );
    expect(watch.cspViolations).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
    watch.consoleErrors.length = 0;
  };

  let linkUrl: string;

  it('shares with a colleague by email, and says plainly when nobody has that email', async () => {
    const { context, page, watch } = await signedIn(owner);
    await page.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Share “${FILE_NAME}”` }).waitFor();

    await dialog.getByLabel('Colleague’s email').fill('nobody-here@example.com');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(
      /No user has this email/,
    );

    await dialog.getByLabel('Colleague’s email').fill(colleague.email);
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByText(`Shared with ${colleague.email}.`).waitFor();
    await dialog.getByRole('button', { name: `Revoke access for ${colleague.email}` }).waitFor();
    await expectClean(page, watch, [/status of 422/]);
    await context.close();
  });

  it('creates a password link with a download limit, to copy or scan', async () => {
    const { context, page, watch } = await signedIn(owner);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    const expiry = dialog.getByLabel('Expires in');
    await dialog.getByText('Password (required by your link policy)').waitFor();
    await expect(expiry.locator('option').allTextContents()).resolves.toEqual([
      '1 day',
      '7 days',
      'Custom date',
    ]);
    await expiry.selectOption('1');
    await dialog.getByLabel('Password (required by your link policy)').fill(LINK_PASSWORD);
    await dialog.getByLabel('Download limit (optional)').fill('3');
    await dialog.getByRole('button', { name: 'Create link' }).click();

    linkUrl = await dialog.getByLabel('New link', { exact: true }).inputValue();
    expect(linkUrl).toMatch(new RegExp(`^${baseUrl}/s/[A-Za-z0-9_-]{20,}$`));
    await dialog.getByRole('img', { name: 'QR code of the new link' }).waitFor();
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText('Copied.').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(linkUrl);
    const listed = dialog.getByTestId('link');
    await expect(listed.textContent()).resolves.toMatch(/Active.*0 of 3 downloads · password/);
    await screenshot(page, 'share-dialog');
    await expectClean(page, watch);
    await context.close();
  });

  it('opens the link in a fresh browser, unlocks it and downloads the exact bytes', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(linkUrl);
    await page.getByLabel('This file is protected by a password').fill(LINK_PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unlock and download' }).click(),
    ]);
    expect(await savedHash(download)).toBe(sha256(CONTENT));
    await context.close();
  });

  it('lets the colleague find the file under Shared with me and download it', async () => {
    const { context, page, watch } = await signedIn(colleague);
    await page.getByRole('link', { name: 'Shared with me' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    await page.getByRole('cell', { name: FILE_NAME, exact: true }).waitFor();
    await page.getByRole('cell', { name: owner.email, exact: true }).waitFor();
    await screenshot(page, 'shared-with-me');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download ${FILE_NAME}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(FILE_NAME);
    expect(await savedHash(download)).toBe(sha256(CONTENT));
    await expectClean(page, watch);
    await context.close();
  });

  it('revokes the link, which then dies at once', async () => {
    const { context, page, watch } = await signedIn(owner);
    await page.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    const link = dialog.getByTestId('link');
    await expect(link.textContent()).resolves.toMatch(/1 of 3 downloads/);
    // The access ledger names the colleague and the link, newest first.
    const activity = dialog.getByTestId('activity').locator('li');
    await expect(activity.allTextContents()).resolves.toEqual([
      expect.stringMatching(`Downloaded by ${colleague.email} from `),
      expect.stringMatching(/Downloaded through the link created .* from /),
    ]);
    await screenshot(page, 'share-activity');
    await link.getByRole('button', { name: /^Revoke the link/ }).click();
    await link.getByText('Revoked').waitFor();
    await expectClean(page, watch);

    const visitor = await context.newPage();
    const response = await visitor.goto(linkUrl);
    expect(response?.status()).toBe(404);
    await visitor.getByRole('heading', { name: 'This link is no longer available' }).waitFor();
    await context.close();
  });
});
