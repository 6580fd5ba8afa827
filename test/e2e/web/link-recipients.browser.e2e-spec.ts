/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  type PageWatch,
  screenshot,
  seriousViolationsWithoutScripts,
  watchPage,
} from '../../support/browser';
import { sha256, upload } from '../../support/files';
import { mailTo } from '../../support/mail';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt, signInThroughPage } from '../../support/web-app';

const FILE_NAME = 'Board minutes.txt';
const CONTENT = Buffer.from('Minutes of the board, for named eyes only.\n'.repeat(500));
const RECIPIENT = 'board.member@example.com';

/**
 * The owner limits a link to one named person in the share dialog; that person opens it on the
 * link page with JavaScript off, with the code the server e-mailed them (read from Mailpit).
 */
describe('a link for a named recipient, from the share dialog to the download', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let owner: Account;
  let ownerPage: Page;
  let ownerWatch: PageWatch;
  let linkUrl: string;

  beforeAll(async () => {
    ensureWebAppBuilt();
    workDir = await createTempDir('mailpit-recipient-browser');
    mailpit = await MailpitServer.start({ workDir: workDir.path });
    const listening = await createListeningTestApp({
      env: { SMTP_URL: mailpit.smtpUrl, OUTBOX_POLL_INTERVAL: '200ms' },
    });
    t = listening;
    baseUrl = listening.baseUrl;
    owner = await signUp(t, 'recipient-owner');
    await upload(t, owner, CONTENT, FILE_NAME).expect(201);
    browser = await launchChromium();
    ownerPage = await (await browser.newContext()).newPage();
    ownerWatch = await watchPage(ownerPage, baseUrl);
    await signInThroughPage(ownerPage, baseUrl, owner);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await mailpit?.stop();
    await workDir?.remove();
  });

  it('the owner names the one person who may open the link', async () => {
    await ownerPage.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByLabel('Only these people (optional)').fill(RECIPIENT);
    await dialog.getByRole('button', { name: 'Create link' }).click();
    linkUrl = await dialog.getByLabel('New link', { exact: true }).inputValue();
    await dialog.getByText(/for 1 named person/).waitFor();
    await expectCleanPage(ownerPage, ownerWatch);
  });

  it('the recipient asks for a code, enters it and downloads the exact bytes, without JavaScript', async () => {
    const context = await browser.newContext({ acceptDownloads: true, javaScriptEnabled: false });
    const page = await context.newPage();
    const watch = await watchPage(page, baseUrl);
    const expectCleanWithoutScripts = async () => {
      expect(watch.consoleErrors).toEqual([]);
      expect(watch.cspViolations).toEqual([]);
      await expect(seriousViolationsWithoutScripts(browser, page)).resolves.toEqual([]);
    };
    await page.goto(linkUrl);
    await page.getByLabel(/Only the people it was sent to can open it/).fill(RECIPIENT);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page
      .getByRole('status')
      .getByText(/a code is on its way/)
      .waitFor();
    await expectCleanWithoutScripts();
    await screenshot(page, 'link-page-recipient-code');

    const [mail] = await mailTo(mailpit, RECIPIENT);
    const code = /\b(\d{6})\b/.exec((await mailpit.bodies(mail.id)).text)![1];
    await page.getByLabel(`The six-digit code sent to ${RECIPIENT}`).fill(code);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Verify and download' }).click(),
    ]);
    expect(sha256(await readFile(await download.path()))).toBe(sha256(CONTENT));
    await page.getByRole('status').getByText('Your download has started.').waitFor();
    await expectCleanWithoutScripts();
    await context.close();
  });

  it('the owner sees who downloaded it, by the verified address', async () => {
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await ownerPage.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    await dialog
      .getByText(`Downloaded through a link by ${RECIPIENT} (address verified)`)
      .waitFor();
    await expectCleanPage(ownerPage, ownerWatch);
  });
});
