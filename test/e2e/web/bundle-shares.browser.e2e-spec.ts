import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  type SignedInPage,
  signInInBrowser,
} from '../../support/browser';
import { sha256, upload } from '../../support/files';
import { createListeningTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';
import { inspectZip } from '../../support/zip';

const BUNDLE = 'Press kit';
const GROUP = 'Press office';
const NOTES = { name: 'Notes.txt', data: Buffer.from('Embargo until Tuesday.\n'.repeat(300)) };
const PHOTO = { name: 'Photo.jpg', data: Buffer.from('not really a jpeg '.repeat(40)) };

/**
 * A bundle shared with people and groups in the web app: the owner shares it with a colleague
 * and a group from the Bundles page; the colleague finds it under "Shared with me", downloads one
 * file and all of it as a ZIP; once the owner revokes the share, it is gone from their list.
 */
describe('bundles shared with people and groups in the web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let owner: Account;
  let colleague: Account;
  let ownerPage: SignedInPage;
  let colleaguePage: SignedInPage;

  beforeAll(async () => {
    ensureWebAppBuilt();
    const listening = await createListeningTestApp({ env: ADMIN_ENV });
    t = listening;
    baseUrl = listening.baseUrl;
    owner = await signUp(t, 'bundle-sharer');
    colleague = await signUp(t, 'bundle-colleague');
    const admin = await firstAdmin(t);
    const as = (account: Account) => ({ Authorization: account.bearer });
    const group = await t.http().post('/api/v1/groups').set(as(admin)).send({ name: GROUP });
    await t
      .http()
      .post(`/api/v1/groups/${group.body.id}/members`)
      .set(as(admin))
      .send({ email: owner.email })
      .expect(201);
    const fileIds: string[] = [];
    for (const file of [NOTES, PHOTO]) {
      fileIds.push((await upload(t, owner, file.data, file.name).expect(201)).body.id);
    }
    await t
      .http()
      .post('/api/v1/bundles')
      .set(as(owner))
      .send({ name: BUNDLE, fileIds })
      .expect(201);
    browser = await launchChromium();
    ownerPage = await signInInBrowser(browser, baseUrl, owner);
    colleaguePage = await signInInBrowser(browser, baseUrl, colleague);
    for (const { page } of [ownerPage, colleaguePage]) page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await ownerPage?.context.close();
    await colleaguePage?.context.close();
    await browser?.close();
    await t?.close();
  });

  const openBundles = async (page: Page) => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Bundles' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Bundles' }).waitFor();
  };
  const sharesOf = (page: Page) =>
    page.getByRole('region', { name: `People and groups with “${BUNDLE}”` });
  const sharedWithMe = (page: Page) =>
    page.getByRole('region', { name: 'Shared with me', exact: true });

  it('lets the owner share the bundle with a colleague and with a group', async () => {
    const { page, watch } = ownerPage;
    await openBundles(page);
    await sharedWithMe(page).getByText('No one has shared a bundle with you yet.').waitFor();
    await page.getByRole('button', { name: `Open ${BUNDLE}` }).click();
    const shares = sharesOf(page);
    await shares.getByText('Not shared with anyone yet.').waitFor();

    await shares.getByLabel('Colleague’s email').fill(colleague.email);
    await shares.getByRole('button', { name: 'Share', exact: true }).click();
    await shares
      .getByRole('status')
      .filter({ hasText: `Shared with ${colleague.email}.` })
      .waitFor();
    await shares.getByLabel('Or a group').selectOption({ label: `${GROUP} (1 member)` });
    await shares.getByRole('button', { name: 'Share with group' }).click();
    await shares
      .getByRole('status')
      .filter({ hasText: `Shared with the group “${GROUP}”.` })
      .waitFor();
    await expect(shares.getByTestId('share').allTextContents()).resolves.toEqual([
      expect.stringContaining(colleague.email),
      expect.stringContaining(GROUP),
    ]);
    await shares.scrollIntoViewIfNeeded();
    await screenshot(page, 'bundle-shares');
    await expectCleanPage(page, watch);
  });

  it('shows the colleague the bundle under Shared with me, with each file and all as a ZIP', async () => {
    const { page, watch } = colleaguePage;
    await openBundles(page);
    const row = sharedWithMe(page).getByTestId('shared-bundle-row').filter({ hasText: BUNDLE });
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toBe(owner.email);
    await row.getByRole('button', { name: `Open ${BUNDLE}` }).click();
    const files = sharedWithMe(page).getByRole('region', {
      name: `Files in “${BUNDLE}” from ${owner.email}`,
    });
    await expect(
      files.getByTestId('shared-bundle-file').locator('td.name').allTextContents(),
    ).resolves.toEqual([NOTES.name, PHOTO.name]);

    const [single] = await Promise.all([
      page.waitForEvent('download'),
      files.getByRole('button', { name: `Download ${PHOTO.name}` }).click(),
    ]);
    expect(single.suggestedFilename()).toBe(PHOTO.name);
    expect(sha256(await readFile(await single.path()))).toBe(sha256(PHOTO.data));

    const [all] = await Promise.all([
      page.waitForEvent('download'),
      files.getByRole('button', { name: 'Download all (ZIP)' }).click(),
    ]);
    expect(all.suggestedFilename()).toBe(`${BUNDLE}.zip`);
    const zip = await inspectZip(await all.path());
    expect(zip.firstBadEntry).toBeNull();
    expect(zip.entries.map(({ name, sha256: hash }) => ({ name, hash }))).toEqual(
      [NOTES, PHOTO].map((file) => ({ name: file.name, hash: sha256(file.data) })),
    );
    await sharedWithMe(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'bundles-shared-with-me');
    await expectCleanPage(page, watch);
  });

  it('ends the colleague’s access when the owner revokes the share', async () => {
    const owned = ownerPage;
    const shares = sharesOf(owned.page);
    await shares.getByRole('button', { name: `Revoke access for ${colleague.email}` }).click();
    await shares
      .getByRole('status')
      .filter({ hasText: `${colleague.email} no longer has access.` })
      .waitFor();
    await expect(shares.getByTestId('share').allTextContents()).resolves.toEqual([
      expect.stringContaining(GROUP),
    ]);
    await expectCleanPage(owned.page, owned.watch);

    const { page, watch } = colleaguePage;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Bundles' }).waitFor();
    await sharedWithMe(page).getByText('No one has shared a bundle with you yet.').waitFor();
    await expectCleanPage(page, watch);
  });
});
