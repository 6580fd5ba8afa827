import type { Browser, Page } from 'playwright-core';
import { type Account, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  type SignedInPage,
  signInInBrowser,
  watchPage,
} from '../../support/browser';
import { sha256, upload } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';
import { inspectZip } from '../../support/zip';

const BUNDLE = 'Launch kit';
const BRIEF = { name: 'Brief.txt', data: Buffer.from('Launch on Monday.\n'.repeat(500)) };
const LOGO = { name: 'Logo.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>\n') };

/**
 * Bundles in the web app: the owner gathers two uploaded files into a bundle, reorders them and
 * puts the bundle behind a link; a stranger downloads it all as one ZIP in its new order; the
 * owner takes a file out, renames the bundle and deletes it.
 */
describe('bundles in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let owner: Account;
  let signed: SignedInPage;
  let linkUrl: string;

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp();
    t = listening;
    baseUrl = listening.baseUrl;
    owner = await signUp(t, 'bundle-owner');
    for (const file of [BRIEF, LOGO]) await upload(t, owner, file.data, file.name).expect(201);
    browser = await launchChromium();
    signed = await signInInBrowser(browser, baseUrl, owner);
    // A step that waits for what never comes fails with the locator in its message.
    signed.page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await signed?.context.close();
    await browser?.close();
    await t?.close();
  });

  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();
  const contents = (page: Page) => page.getByRole('region', { name: `Files in “${BUNDLE}”` });
  const order = (page: Page) =>
    contents(page).getByTestId('bundle-file').locator('td.name').allTextContents();

  it('creates a bundle from two uploaded files and reorders them', async () => {
    const { page, watch } = signed;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Bundles' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Bundles' }).waitFor();
    await page.getByText('No bundles yet.').waitFor();

    await page.getByLabel('Name', { exact: true }).fill(BUNDLE);
    await page.getByRole('button', { name: 'Create bundle' }).click();
    await status(page, `Bundle “${BUNDLE}” created.`);
    await contents(page).getByText('No files in this bundle yet.').waitFor();

    for (const file of [BRIEF, LOGO]) {
      await contents(page).getByLabel('File from My files').selectOption({ label: file.name });
      await contents(page).getByRole('button', { name: 'Add to bundle' }).click();
      await status(page, `${file.name} added.`);
    }
    await expect(order(page)).resolves.toEqual([BRIEF.name, LOGO.name]);
    await contents(page).getByText('Every file you have is in this bundle already.').waitFor();
    await expect(
      contents(page)
        .getByRole('button', { name: `Move ${BRIEF.name} up` })
        .isDisabled(),
    ).resolves.toBe(true);

    await contents(page)
      .getByRole('button', { name: `Move ${LOGO.name} up` })
      .click();
    await status(page, `${LOGO.name} moved.`);
    await expect(order(page)).resolves.toEqual([LOGO.name, BRIEF.name]);
    const row = page.getByTestId('bundle-row').filter({ hasText: BUNDLE });
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('2');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'bundles');
    await expectCleanPage(page, watch);
  });

  it('puts the bundle behind a link with the share dialog’s link form', async () => {
    const { page, watch } = signed;
    const links = page.getByRole('region', { name: `Links to “${BUNDLE}”` });
    await links.getByText('No links yet.').waitFor();
    await links.getByLabel('Expires in').selectOption('7');
    await links.getByLabel('Download limit (optional)').fill('5');
    await links.getByRole('button', { name: 'Create link' }).click();
    linkUrl = await links.getByLabel('New link', { exact: true }).inputValue();
    expect(linkUrl).toMatch(new RegExp(`^${baseUrl}/s/[A-Za-z0-9_-]{20,}$`));
    await links.getByRole('img', { name: 'QR code of the new link' }).waitFor();
    await expect(links.getByTestId('link').textContent()).resolves.toMatch(
      /Active.*0 of 5 downloads/,
    );
    await screenshot(page, 'bundle-links');
    await expectCleanPage(page, watch);
  });

  it('lets anyone with the link download all files as one ZIP, in the bundle’s order', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, baseUrl);
      await page.goto(linkUrl);
      for (const file of [LOGO, BRIEF]) await page.getByText(file.name).first().waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download all (ZIP)' }).click(),
      ]);
      const zip = await inspectZip(await download.path());
      expect(zip.firstBadEntry).toBeNull();
      expect(zip.entries.map(({ name, sha256: hash }) => ({ name, hash }))).toEqual(
        [LOGO, BRIEF].map((file) => ({ name: file.name, hash: sha256(file.data) })),
      );
      await expectCleanPage(page, watch);
    } finally {
      await context.close();
    }
  });

  it('takes a file out, renames the bundle and deletes it after confirmation', async () => {
    const { page, watch } = signed;
    await contents(page)
      .getByRole('button', { name: `Remove ${LOGO.name} from the bundle` })
      .click();
    await status(page, `${LOGO.name} removed from the bundle.`);
    await expect(order(page)).resolves.toEqual([BRIEF.name]);
    const row = page.getByTestId('bundle-row').filter({ hasText: BUNDLE });
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('1');
    await expectCleanPage(page, watch);

    await row.getByRole('button', { name: `Rename ${BUNDLE}` }).click();
    await page.getByRole('textbox', { name: `Rename ${BUNDLE}` }).fill('Launch kit v2');
    // While it is renamed the row holds the name in a text box, no longer as its text.
    await page.getByRole('button', { name: 'Save' }).click();
    await status(page, 'Renamed to “Launch kit v2”.');

    await page.getByRole('button', { name: 'Delete Launch kit v2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await status(page, 'Bundle “Launch kit v2” deleted.');
    await page.getByText('No bundles yet.').waitFor();
    await expectCleanPage(page, watch);
  });
});
