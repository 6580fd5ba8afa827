/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import type { Browser, BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import { type Account, login, signUp } from '../../support/accounts';
import {
  launchChromium,
  type PageWatch,
  screenshot,
  seriousAccessibilityViolations,
  watchPage,
} from '../../support/browser';
import { downloadContent, sha256 } from '../../support/files';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import {
  ClamdServer,
  createTempDir,
  EICAR,
  EICAR_DETECTION,
  type TempDir,
} from '@strongroom/testing';
import { tusOffset } from '../../support/tus';
import {
  dropFiles,
  ensureWebAppBuilt,
  type PatternFile,
  patternBytes,
  signInThroughPage,
} from '../../support/web-app';

const MiB = 1024 * 1024;
// Each test moves 10-20 MiB through a throttled browser and the encrypting pipeline.
jest.setTimeout(90_000);
/** Longer than the page's refresh period (5 s), so only a request held back meets an expired token. */
const ACCESS_TOKEN_TTL_SECONDS = 8;

/** Uploads from the web app go through the resumable (tus) route, and survive what networks do. */
describe('uploads in the web app, through tus', () => {
  let t: ListeningTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let cdp: CDPSession;
  let person: Account;
  /** Every upload request the page made, in order. */
  let requests: Request[];
  let clamdDir: TempDir;
  let clamd: ClamdServer;

  beforeAll(async () => {
    ensureWebAppBuilt();
    clamdDir = await createTempDir('clamd');
    clamd = await ClamdServer.start({ workDir: clamdDir.path });
    t = await createListeningTestApp({
      env: {
        MAX_FILE_SIZE: String(64 * MiB),
        ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_TTL_SECONDS}s`,
        CLAMAV_HOST: clamd.host,
        CLAMAV_PORT: String(clamd.port),
      },
    });
    person = await signUp(t, 'tus-web');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await clamd?.stop();
    await clamdDir?.remove();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    watch = await watchPage(page, t.baseUrl);
    requests = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/uploads') || request.url().includes('/api/v1/files'))
        requests.push(request);
    });
    cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await signInThroughPage(page, t.baseUrl, person);
  });

  afterEach(async () => {
    // An access token may expire between a request and its refresh under load: that 401 is retried.
    expect(watch.consoleErrors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await context.close();
  });

  /** Upload bandwidth in bytes per second; undefined lifts the limit. */
  const throttle = (bytesPerSecond?: number) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: bytesPerSecond ?? -1,
    });
  /** The browser reports each refused request; these refusals are the test's point. */
  const expectRefusals = (status: number) => {
    watch.consoleErrors = watch.consoleErrors.filter(
      (error) => !error.includes(`status of ${status}`),
    );
  };
  const row = (name: string) => page.getByTestId('upload').filter({ hasText: name });
  const finished = (name: string) =>
    row(name).and(page.locator('.done')).waitFor({ timeout: 60_000 });
  const calls = (method: string, path: RegExp = /\/api\/v1\/uploads/) =>
    requests.filter((request) => request.method() === method && path.test(request.url()));
  /** A token of the person's own, for checks from outside the browser. */
  const asPerson = async () => ({
    ...person,
    bearer: `Bearer ${(await login(t, person.email, person.password)).accessToken}`,
  });
  /** The stored file of that name has exactly the bytes that were dropped. */
  async function expectStored(file: PatternFile): Promise<void> {
    const owner = await asPerson();
    const listed = await t
      .http()
      .get(`/api/v1/files?scope=mine&q=${encodeURIComponent(file.name)}`)
      .set('Authorization', owner.bearer)
      .expect(200);
    const items = listed.body.items as { id: string; name: string }[];
    const stored = items.filter((item) => item.name === file.name);
    expect(stored).toHaveLength(1);
    const content = await downloadContent(t, owner, stored[0].id);
    expect(sha256(content)).toBe(sha256(patternBytes(file)));
  }
  /** What tus-js-client keeps in localStorage for resuming: the upload's URL, never a token. */
  async function storedUploadUrl(): Promise<string> {
    const stored = await page.evaluate(() => ({ ...localStorage }));
    const entries = Object.entries(stored).filter(([key]) => key.startsWith('tus::'));
    expect(entries).toHaveLength(1);
    const [, value] = entries[0];
    expect(value).not.toMatch(/eyJ|Bearer|refresh/i);
    const [cookie] = await context.cookies();
    expect(value).not.toContain(cookie.value);
    return (JSON.parse(value) as { uploadUrl: string }).uploadUrl;
  }

  it('uploads a dropped file with tus, in 8 MiB requests, and stores exactly its bytes', async () => {
    const file = { name: 'Survey data.csv', line: 'survey,row,of,data\n', size: 19 * MiB };
    await dropFiles(page, [file]);
    await finished(file.name);
    expect(calls('POST')).toHaveLength(1);
    expect(calls('PATCH')).toHaveLength(3);
    expect(calls('POST', /\/api\/v1\/files$/)).toEqual([]);
    await page.getByRole('cell', { name: file.name, exact: true }).waitFor();
    await expectStored(file);
    // Done, the upload is forgotten: nothing is left to resume.
    await expect(page.evaluate(() => Object.keys(localStorage))).resolves.not.toContainEqual(
      expect.stringMatching(/^tus::/),
    );
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
  });

  it('refuses an oversized file at creation, before any byte, naming the limit', async () => {
    const file = { name: 'Disk image.iso', line: 'disk image\n', size: 64 * MiB + 1 };
    await dropFiles(page, [file]);
    await expect(row(file.name).getByRole('alert').textContent()).resolves.toBe(
      `The file is larger than the limit of ${64 * MiB} bytes (MAX_FILE_SIZE)`,
    );
    expect(calls('POST')).toHaveLength(1);
    expect(calls('PATCH')).toEqual([]);
    await expect(
      calls('POST')[0]
        .response()
        .then((r) => r?.status()),
    ).resolves.toBe(413);
    expectRefusals(413);
  });

  it('refreshes an access token that expires mid-upload and goes on from where it was', async () => {
    const file = { name: 'Long video.mp4', line: 'frame of a long video\n', size: 17 * MiB };
    // The second PATCH is held back until the token it carries has expired.
    let held = false;
    await page.route('**/api/v1/uploads/*', async (route) => {
      const patches = calls('PATCH').length;
      if (route.request().method() === 'PATCH' && patches === 2 && !held) {
        held = true;
        await new Promise((resolve) => setTimeout(resolve, (ACCESS_TOKEN_TTL_SECONDS + 1) * 1000));
      }
      await route.continue();
    });
    await dropFiles(page, [file]);
    await finished(file.name);
    const statuses = await Promise.all(
      calls('PATCH').map(async (request) => (await request.response())?.status()),
    );
    expect(statuses).toEqual([204, 401, 204, 204]);
    expect(calls('POST')).toHaveLength(1);
    await expectStored(file);
  });

  it('survives a dropped network: offline mid-upload, it goes on once the network is back', async () => {
    const file = { name: 'Field recordings.zip', line: 'field recording\n', size: 12 * MiB };
    await throttle(2 * MiB);
    await dropFiles(page, [file]);
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="upload"] progress')?.getAttribute('value')) >
        2 * 1024 * 1024,
    );
    await context.setOffline(true);
    await row(file.name)
      .getByText('Offline; the upload goes on when the network is back.')
      .waitFor();
    await screenshot(page, 'upload-offline');
    const failed = calls('PATCH').length;
    await context.setOffline(false);
    await throttle();
    await finished(file.name);
    // It asked the server where to go on, and went on from there: no new upload.
    expect(calls('HEAD').length).toBeGreaterThanOrEqual(1);
    expect(calls('PATCH').length).toBeGreaterThan(failed);
    expect(calls('POST')).toHaveLength(1);
    await expectStored(file);
    // Offline, the browser reports each failed request.
    watch.consoleErrors.length = 0;
  });

  it('resumes after a reload from the offset the server holds, when the same file is dropped again', async () => {
    const file = {
      name: 'Site survey.tif',
      line: 'site survey scan line\n',
      size: 10 * MiB,
      lastModified: Date.UTC(2026, 10, 3, 9, 30),
    };
    await throttle(1 * MiB);
    await dropFiles(page, [file]);
    const uploadUrl = await (async () => {
      await page.waitForFunction(() =>
        Object.keys(localStorage).some((key) => key.startsWith('tus::')),
      );
      return storedUploadUrl();
    })();
    const owner = await asPerson();
    let offset = 0;
    while (offset < 2 * MiB) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      offset = await tusOffset(uploadUrl, owner);
    }

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
    await throttle();
    const before = calls('POST').length;
    const held = await tusOffset(uploadUrl, owner);
    expect(held).toBeGreaterThanOrEqual(offset);
    await dropFiles(page, [file]);
    await finished(file.name);
    expect(calls('POST')).toHaveLength(before);
    const resumedPatch = calls('PATCH').find(
      (request) => request.url() === uploadUrl && Number(request.headers()['upload-offset']) > 0,
    );
    expect(Number(resumedPatch?.headers()['upload-offset'])).toBe(held);
    await expectStored(file);
  });

  it('cancels an upload, which ends it on the server too', async () => {
    const file = { name: 'Draft cut.mov', line: 'draft cut\n', size: 8 * MiB };
    await throttle(1 * MiB);
    await dropFiles(page, [file]);
    await page.waitForFunction(() =>
      Object.keys(localStorage).some((key) => key.startsWith('tus::')),
    );
    const uploadUrl = await storedUploadUrl();
    const terminated = page.waitForResponse((response) => response.request().method() === 'DELETE');
    await row(file.name)
      .getByRole('button', { name: `Cancel upload of ${file.name}` })
      .click();
    await row(file.name).getByText('Cancelled').waitFor();
    await expect(terminated.then((response) => response.status())).resolves.toBe(204);
    await expect(tusOffset(uploadUrl, await asPerson())).rejects.toThrow(/answered 404/);
    await expect(page.evaluate(() => Object.keys(localStorage))).resolves.not.toContainEqual(
      expect.stringMatching(/^tus::/),
    );
  });

  it("shows the scanner's verdict on an infected file, at completion", async () => {
    const file = { name: 'Invoice.pdf.exe', line: EICAR.toString('latin1'), size: EICAR.length };
    await dropFiles(page, [file]);
    await expect(row(file.name).getByRole('alert').textContent()).resolves.toContain(
      EICAR_DETECTION,
    );
    await expect(
      calls('PATCH')[0]
        .response()
        .then((r) => r?.status()),
    ).resolves.toBe(422);
    expectRefusals(422);
  });

  // Last: clamd stays stopped.
  it('says so when the virus scanner is down', async () => {
    await clamd.stop();
    const file = { name: 'Notes.txt', line: 'notes\n', size: 4096 };
    await dropFiles(page, [file]);
    await expect(row(file.name).getByRole('alert').textContent()).resolves.toMatch(
      /virus scanner is unavailable/,
    );
    expectRefusals(503);
  });
});
