import type { Browser, Page } from 'playwright-core';
import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  type SignedInPage,
  signInInBrowser,
} from '../../support/browser';
import { upload } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

const GROUP = 'Design team';
const FILE_NAME = 'Brand guide.txt';

/**
 * Teams in the web app: the admin creates a group, fills it and gives it a stricter link policy;
 * a member shares a file with the group from the share dialog, which then offers only what the
 * group's policy allows; another member finds the file under Shared with me.
 */
describe('groups and link policies in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let admin: Account;
  let sharer: Account;
  let member: Account;
  let outsider: Account;
  const opened: SignedInPage[] = [];

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp({ env: ADMIN_ENV });
    t = listening;
    baseUrl = listening.baseUrl;
    admin = await firstAdmin(t);
    [sharer, member, outsider] = await Promise.all([
      signUp(t, 'group-sharer'),
      signUp(t, 'group-member'),
      signUp(t, 'group-outsider'),
    ]);
    await upload(t, sharer, Buffer.from('Use the blue logo.\n'), FILE_NAME).expect(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const { context } of opened) await context.close();
    await browser?.close();
    await t?.close();
  });

  async function signedIn(account: Account): Promise<SignedInPage> {
    const signed = await signInInBrowser(browser, baseUrl, account);
    opened.push(signed);
    return signed;
  }

  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();

  it('lets an admin create a group and add members by email', async () => {
    const { page, watch } = await signedIn(admin);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByText('No groups yet.').waitFor();

    await page.getByLabel('Name').fill(GROUP);
    await page.getByLabel('Description (optional)').fill('Logos, fonts and colours');
    await page.getByRole('button', { name: 'Create group' }).click();
    await status(page, `Group “${GROUP}” created.`);

    const members = page.getByRole('region', { name: `Members of “${GROUP}”` });
    for (const account of [sharer, member]) {
      await members.getByLabel('Member’s email').fill(account.email);
      await members.getByRole('button', { name: 'Add member' }).click();
      await status(page, `${account.email} added to “${GROUP}”.`);
    }
    await members.getByLabel('Member’s email').fill('nobody-here@example.com');
    await members.getByRole('button', { name: 'Add member' }).click();
    await members.getByRole('alert').waitFor();
    const listed = await members.getByTestId('member').locator('span').allTextContents();
    expect(listed.sort()).toEqual([sharer.email, member.email].sort());
    const row = page.getByTestId('group-row').filter({ hasText: GROUP });
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe('2');
    await screenshot(page, 'admin-groups');
    await expectCleanPage(page, watch, [/status of 4\d\d/]);
  });

  it('lets the admin give the group a stricter link policy', async () => {
    const { page, watch } = opened[0];
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Link policies' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Link policies' }).waitFor();
    await page.getByText('No rules yet', { exact: false }).waitFor();

    await page.getByLabel('Applies to').selectOption({ label: `Group: ${GROUP}` });
    await page.getByLabel('Longest expiry, in days (empty: default)').fill('3');
    await page.getByLabel('Download limit (empty: default)').fill('5');
    await page.getByLabel('Password on links').selectOption({ label: 'Required' });
    await page.getByRole('button', { name: 'Save rule' }).click();
    await status(page, `The rule for Group: ${GROUP} is saved.`);

    const row = page.getByTestId('policy-row').filter({ hasText: `Group: ${GROUP}` });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
      `Group: ${GROUP}`,
      '3 days',
      'required',
      '5',
      'default',
      'default',
      expect.any(String),
    ]);
    await screenshot(page, 'admin-link-policies');
    await expectCleanPage(page, watch);
  });

  it('lets a member share with the group, and the link form follows the group’s policy', async () => {
    const { page, watch } = await signedIn(sharer);
    await page.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Or a group').selectOption({ label: `${GROUP} (2 members)` });
    await dialog.getByRole('button', { name: 'Share with group' }).click();
    await dialog.getByText(`Shared with the group “${GROUP}”.`).waitFor();
    await expect(dialog.getByTestId('share').textContent()).resolves.toContain(GROUP);
    await dialog.getByRole('button', { name: `Revoke access for the group ${GROUP}` }).waitFor();

    await dialog.getByText('Password (required by your link policy)').waitFor();
    await expect(
      dialog.getByLabel('Expires in').locator('option').allTextContents(),
    ).resolves.toEqual(['1 day', 'Custom date']);
    await expect(dialog.getByLabel('Download limit (optional)').getAttribute('max')).resolves.toBe(
      '5',
    );
    await screenshot(page, 'share-dialog-group');
    await expectCleanPage(page, watch);
  });

  it('lets the sharer ask for an e-mail when a link of theirs is downloaded', async () => {
    const { page, watch } = opened[1];
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Security' }).click();
    const notices = page.getByRole('region', { name: 'E-mail notices' });
    const toggle = notices.getByLabel('E-mail me each time one of my links is downloaded');
    await expect(toggle.isChecked()).resolves.toBe(false);
    await toggle.check();
    await notices
      .getByRole('status')
      .filter({ hasText: 'You will get an e-mail each time one of your links is downloaded.' })
      .waitFor();
    await page.reload();
    await expect(toggle.isChecked()).resolves.toBe(true);
    await screenshot(page, 'security-notifications');
    await expectCleanPage(page, watch);
  });

  it('shows the file to another member under Shared with me, and not to an outsider', async () => {
    const { page, watch } = await signedIn(member);
    await page.getByRole('link', { name: 'Shared with me' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    await page.getByRole('cell', { name: FILE_NAME, exact: true }).waitFor();
    await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download ${FILE_NAME}` }).click(),
    ]);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const entry of ['Groups', 'Link policies']) {
      await expect(nav.getByRole('link', { name: entry }).count()).resolves.toBe(0);
    }
    // Not theirs to see: not found, and no admin route was even asked (it would answer 403).
    for (const path of ['/admin/groups', '/admin/link-policies']) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    }
    await expectCleanPage(page, watch);

    const other = await signedIn(outsider);
    await other.page.getByRole('link', { name: 'Shared with me' }).click();
    await other.page.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
    await other.page.getByText('Nobody has shared a file with you yet.').waitFor();
    await expect(
      other.page.getByRole('cell', { name: FILE_NAME, exact: true }).count(),
    ).resolves.toBe(0);
    await expectCleanPage(other.page, other.watch);
  });

  it('names the group member who downloaded it in the sharer’s activity', async () => {
    const { page, watch } = opened[1];
    await page.getByRole('link', { name: 'My files' }).click();
    await page.getByRole('button', { name: `Share ${FILE_NAME}` }).click();
    const activity = page.getByRole('dialog').getByTestId('activity').locator('li');
    await activity.first().waitFor();
    await expect(activity.allTextContents()).resolves.toEqual([
      expect.stringContaining(`Downloaded by ${member.email} from `),
    ]);
    await expectCleanPage(page, watch);
  });
});
