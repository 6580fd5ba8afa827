/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { type Account, signUp } from '../../support/accounts';
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

/** A person registers a webhook on the security page, sees its delivery, and deletes it. */
describe('webhooks in the web app', () => {
  let t: ListeningTestApp;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let owner: Account;

  beforeAll(async () => {
    ensureWebAppBuilt();
    receiver = await WebhookReceiver.start();
    t = await createListeningTestApp({
      env: { OUTBOX_POLL_INTERVAL: '100ms', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
    owner = await signUp(t, 'web-hooks');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.stop();
  });

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
    const log = section.getByRole('region', { name: 'Deliveries table' });
    const delivered = log.getByRole('row', { name: /file\.uploaded 1 HTTP 200 \d+ ms/ });
    // The log entry is written once the receiver's answer is in: refresh until it shows.
    await eventually(
      async () => {
        await section.getByRole('button', { name: 'Refresh' }).click();
        return (await delivered.count()) === 1 || undefined;
      },
      'the delivery in the log',
      10_000,
    );
    await screenshot(page, 'security-webhooks');
    await expectCleanPage(page, watch);

    await row.getByRole('button', { name: `Disable ${url}` }).click();
    await row.getByRole('cell', { name: 'Disabled: disabled by its owner' }).waitFor();
    await row.getByRole('button', { name: `Enable ${url}` }).click();
    await row.getByRole('cell', { name: 'Enabled', exact: true }).waitFor();
    await expectCleanPage(page, watch);

    // Shown once: after a reload only the list remains, without the secret.
    await page.reload();
    await row.waitFor();
    await expect(page.getByText(secret).count()).resolves.toBe(0);
    await expect(secretField.count()).resolves.toBe(0);

    await row.getByRole('button', { name: `Delete ${url}` }).click();
    await section.getByText(`${url} is deleted`, { exact: false }).waitFor();
    await section.getByText('No webhooks yet.').waitFor();
    await expectCleanPage(page, watch);
    await context.close();
  });
});
