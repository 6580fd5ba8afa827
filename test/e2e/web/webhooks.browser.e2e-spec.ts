/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { type Account, ADMIN_ENV, firstAdmin, signUp } from '../../support/accounts';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  signInInBrowser,
} from '../../support/browser';
import { eventually } from '../../support/cli';
import { upload } from '../../support/files';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';
import { WebhookReceiver } from '../../support/webhook-receiver';

const MAX_ATTEMPTS = 2;

/** A person registers a webhook on the security page, sees its delivery, and deletes it. */
describe('webhooks in the web app', () => {
  let t: ListeningTestApp;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let owner: Account;
  let admin: Account;

  beforeAll(async () => {
    ensureWebAppBuilt();
    receiver = await WebhookReceiver.start();
    t = await createListeningTestApp({
      env: {
        ...ADMIN_ENV,
        OUTBOX_POLL_INTERVAL: '100ms',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_RETRY_BASE: '100ms',
        WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      },
    });
    [owner, admin] = await Promise.all([signUp(t, 'web-hooks'), firstAdmin(t)]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.stop();
  });

  /** The log entry is written once the receiver's answer is in: refresh until it shows. */
  const logShows = (page: Page, row: RegExp) =>
    eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh', exact: true }).click();
        const rows = page.getByRole('region', { name: 'Deliveries table' }).getByRole('row', {
          name: row,
        });
        return (await rows.count()) === 1 || undefined;
      },
      `a delivery ${String(row)} in the log`,
      10_000,
    );

  it('adds an endpoint with its secret shown once, logs the delivery, and deletes it', async () => {
    const { context, page, watch } = await signInInBrowser(browser, t.baseUrl, owner);
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Webhooks', exact: true });
    await section.getByText('No webhooks yet.').waitFor();
    // API keys for scripts that manage webhooks can be given the scope.
    await page
      .getByRole('region', { name: 'API keys', exact: true })
      .getByLabel(/webhooks:write: register/)
      .waitFor();
    await expectCleanPage(page, watch);

    const url = receiver.url('/uploads');
    receiver.on('/uploads', () => 200);
    await section.getByLabel('Address', { exact: true }).fill(url);
    await section.getByLabel('file.uploaded').check();
    await section.getByRole('button', { name: 'Add webhook' }).click();
    const secretField = section.getByLabel(/^The signing secret for /);
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const row = section.getByRole('row', { name: new RegExp(url) });
    await row.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'file.uploaded', exact: true }).waitFor();
    await expectCleanPage(page, watch);

    await upload(t, owner, Buffer.from('hello'), 'report.txt').expect(201);
    const [call] = await receiver.calls('/uploads', 1);
    // The secret the page showed is the one that signs.
    const event = new Webhook(secret).verify(call.body, {
      'webhook-id': call.headers['webhook-id'] as string,
      'webhook-timestamp': call.headers['webhook-timestamp'] as string,
      'webhook-signature': call.headers['webhook-signature'] as string,
    }) as { type: string };
    expect(event.type).toBe('file.uploaded');

    await row.getByRole('button', { name: `Deliveries to ${url}` }).click();
    await logShows(page, /file\.uploaded\s+1\s+HTTP 200\s+\d+ ms/);
    await screenshot(page, 'security-webhooks');
    await expectCleanPage(page, watch);

    await section.getByRole('button', { name: 'Close', exact: true }).click();
    await row.getByRole('button', { name: `Disable ${url}` }).click();
    await row.getByRole('cell', { name: /^Disabled:\s+disabled by its owner$/ }).waitFor();
    await row.getByRole('button', { name: `Enable ${url}` }).click();
    await row.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();
    await expectCleanPage(page, watch);

    // Shown once: after a reload only the list remains, without the secret.
    await page.reload();
    await row.waitFor();
    await expect(page.getByText(secret).count()).resolves.toBe(0);
    await expect(secretField.count()).resolves.toBe(0);

    await row.getByRole('button', { name: `Delete ${url}` }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete the webhook for / });
    await expectCleanPage(page, watch);
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await section.getByText(`${url} is deleted`, { exact: false }).waitFor();
    await section.getByText('No webhooks yet.').waitFor();
    await expectCleanPage(page, watch);
    await context.close();
  });

  it('shows an endpoint the server disabled after failed deliveries, and enables it again', async () => {
    const { context, page, watch } = await signInInBrowser(browser, t.baseUrl, owner);
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Webhooks', exact: true });
    const url = receiver.url('/down');
    receiver.on('/down', () => 500);
    await section.getByLabel('Address', { exact: true }).fill(url);
    await section.getByLabel('file.uploaded').check();
    await section.getByRole('button', { name: 'Add webhook' }).click();
    const row = section.getByRole('row', { name: new RegExp(url) });
    await row.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();

    await upload(t, owner, Buffer.from('hello'), 'report.txt').expect(201);
    await receiver.calls('/down', MAX_ATTEMPTS);
    await row.getByRole('button', { name: `Deliveries to ${url}` }).click();
    await logShows(page, /file\.uploaded\s+2\s+HTTP 500\s+answered 500\s+\d+ ms/);
    await page.reload();
    await row
      .getByRole('cell', {
        name: /^Disabled:\s+2 attempts at file\.uploaded .* failed; the last: answered 500$/,
      })
      .waitFor();
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'security-webhook-disabled');
    await expectCleanPage(page, watch);

    await row.getByRole('button', { name: `Enable ${url}` }).click();
    await row.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();
    await section.getByText(`${url} is enabled again.`).waitFor();
    await expectCleanPage(page, watch);
    await context.close();
  });

  it("lets an admin add an instance-wide endpoint, which receives another user's events", async () => {
    const { context, page, watch } = await signInInBrowser(browser, t.baseUrl, owner);
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Webhooks', exact: true });
    await section.getByLabel('Address', { exact: true }).waitFor();
    // Only admins are offered the box (the API refuses it to others with a 403).
    await expect(section.getByLabel(/Instance-wide/).count()).resolves.toBe(0);
    await expectCleanPage(page, watch);
    await context.close();

    const asAdmin = await signInInBrowser(browser, t.baseUrl, admin);
    await asAdmin.page.getByRole('link', { name: 'Security' }).click();
    const adminSection = asAdmin.page.getByRole('region', { name: 'Webhooks', exact: true });
    const url = receiver.url('/everyone');
    receiver.on('/everyone', () => 200);
    await adminSection.getByLabel('Address', { exact: true }).fill(url);
    await adminSection.getByLabel('file.uploaded').check();
    await adminSection.getByLabel(/Instance-wide/).check();
    await adminSection.getByRole('button', { name: 'Add webhook' }).click();
    const row = adminSection.getByRole('row', { name: new RegExp(url) });
    await row.getByText("instance-wide: every user's events").waitFor();
    await expectCleanPage(asAdmin.page, asAdmin.watch);

    await upload(t, owner, Buffer.from('hello'), 'report.txt').expect(201);
    await receiver.calls('/everyone', 1);
    await row.getByRole('button', { name: `Deliveries to ${url}` }).click();
    await logShows(asAdmin.page, /file\.uploaded\s+1\s+HTTP 200\s+\d+ ms/);
    await expectCleanPage(asAdmin.page, asAdmin.watch);
    await asAdmin.context.close();
  });
});
