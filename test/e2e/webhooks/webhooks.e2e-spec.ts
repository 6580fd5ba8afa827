import { Webhook } from 'standardwebhooks';
import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { createApiKey } from '../../support/api-keys';
import { eventually } from '../../support/cli';
import { createLink, upload } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  createUploadRequest,
  sendThroughRequest,
  visitCookie,
} from '../../support/upload-requests';
import { WebhookReceiver } from '../../support/webhook-receiver';

const MAX_ATTEMPTS = 3;

interface Delivery {
  webhookId: string;
  event: string;
  attempt: number;
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

describe('webhooks: signed, retried through the outbox, refused on private addresses', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let receiver: WebhookReceiver;
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let other: Account;

  beforeAll(async () => {
    workDir = await createTempDir('webhooks');
    [mailpit, receiver] = await Promise.all([
      MailpitServer.start({ workDir: workDir.path }),
      WebhookReceiver.start(),
    ]);
    t = await createTestApp({
      env: {
        ...ADMIN_ENV,
        SMTP_URL: mailpit.smtpUrl,
        OUTBOX_POLL_INTERVAL: '100ms',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_TIMEOUT: '1s',
        WEBHOOK_RETRY_BASE: '100ms',
        WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      },
    });
    admin = await firstAdmin(t);
    [owner, other] = await Promise.all([signUp(t, 'hook-owner'), signUp(t, 'hook-other')]);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await mailpit?.stop();
    await workDir?.remove();
  });

  const register = (account: Account, body: Record<string, unknown>) =>
    t.http().post('/api/v1/webhooks').set('Authorization', account.bearer).send(body);

  const deliveries = async (account: Account, id: string): Promise<Delivery[]> =>
    (
      await t
        .http()
        .get(`/api/v1/webhooks/${id}/deliveries`)
        .set('Authorization', account.bearer)
        .expect(200)
    ).body.items as Delivery[];

  const endpointFor = async (account: Account, path: string, events = ['file.uploaded']) => {
    const res = await register(account, { url: receiver.url(path), events }).expect(201);
    return res.body as { id: string; secret: string };
  };

  it('signs per Standard Webhooks and retries a 500 with the same webhook-id until a 200', async () => {
    receiver.on('/flaky', (call) => (call < 2 ? 500 : 200));
    const { id, secret } = await endpointFor(owner, '/flaky');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const fileId = (await upload(t, owner, Buffer.from('hello'), 'report.txt').expect(201)).body
      .id as string;

    const calls = await receiver.calls('/flaky', 3);
    expect(new Set(calls.map((call) => call.headers['webhook-id'])).size).toBe(1);
    for (const call of calls) {
      const event = new Webhook(secret).verify(call.body, {
        'webhook-id': call.headers['webhook-id'] as string,
        'webhook-timestamp': call.headers['webhook-timestamp'] as string,
        'webhook-signature': call.headers['webhook-signature'] as string,
      }) as { type: string; data: Record<string, unknown> };
      expect(event.type).toBe('file.uploaded');
      expect(event.data).toMatchObject({ fileId, name: 'report.txt', size: 5 });
    }
    expect(() =>
      new Webhook(secret).verify(`${calls[0].body} `, calls[0].headers as Record<string, string>),
    ).toThrow();

    const log = await eventually(
      async () => {
        const items = await deliveries(owner, id);
        return items.length >= 3 ? items : undefined;
      },
      'three logged attempts',
      10_000,
    );
    expect(
      log.map(({ attempt, statusCode, delivered }) => ({ attempt, statusCode, delivered })),
    ).toEqual([
      { attempt: 3, statusCode: 200, delivered: true },
      { attempt: 2, statusCode: 500, delivered: false },
      { attempt: 1, statusCode: 500, delivered: false },
    ]);
    expect(log[0]).toMatchObject({ event: 'file.uploaded', error: null });
    expect(log[1].error).toBe('answered 500');
    const endpoint = await t
      .http()
      .get(`/api/v1/webhooks/${id}`)
      .set('Authorization', owner.bearer)
      .expect(200);
    expect(endpoint.body.enabled).toBe(true);
    expect(
      await metricValue(
        t,
        'strongroom_webhook_deliveries_total{event="file.uploaded",outcome="delivered"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metricValue(
        t,
        'strongroom_outbox_deliveries_total{topic="webhook:file.uploaded",outcome="retry"}',
      ),
    ).toBeGreaterThanOrEqual(2);
  });

  it('records a receiver that never answers as a timeout, then disables the endpoint and mails its owner', async () => {
    receiver.on('/silent', () => undefined);
    const { id } = await endpointFor(owner, '/silent', ['share.created']);
    const fileId = (await upload(t, owner, Buffer.from('x'), 'shared.txt').expect(201)).body
      .id as string;
    await t
      .http()
      .post(`/api/v1/files/${fileId}/shares`)
      .set('Authorization', owner.bearer)
      .send({ email: other.email })
      .expect(201);
    // While it is retried, it counts in the outbox gauges under its own channel.
    await eventually(
      async () =>
        (await metricValue(t, 'strongroom_outbox_pending{channel="webhook"}')) >= 1 || undefined,
      'the waiting webhook in strongroom_outbox_pending',
      5_000,
    );

    const disabled = await eventually(
      async () => {
        const res = await t
          .http()
          .get(`/api/v1/webhooks/${id}`)
          .set('Authorization', owner.bearer)
          .expect(200);
        return res.body.enabled === false ? res.body : undefined;
      },
      'the silent endpoint disabled',
      30_000,
    );
    expect(disabled.disabledReason).toContain(`${MAX_ATTEMPTS} attempts at share.created`);
    const log = await deliveries(owner, id);
    expect(log).toHaveLength(MAX_ATTEMPTS);
    for (const attempt of log) {
      expect(attempt).toMatchObject({ delivered: false, statusCode: null });
      expect(attempt.error).toContain('timeout');
      expect(attempt.durationMs).toBeGreaterThanOrEqual(900);
    }

    const notice = await eventually(
      async () =>
        (await mailpit.messages()).find(
          (mail) => mail.to.includes(owner.email) && /webhook/i.test(mail.subject),
        ),
      'the disable notice in Mailpit',
      15_000,
    );
    expect(notice.subject).toBe('A webhook endpoint was disabled');
    const { text } = await mailpit.bodies(notice.id);
    expect(text).toContain(receiver.url('/silent'));
    expect(text).toContain('timeout');

    const audit = await collection(t, 'audit_events').findOne({ type: 'webhook_disabled' });
    expect(audit?.details).toMatchObject({ endpointId: id });

    // Enabled again by its owner, it receives the next event.
    receiver.on('/silent', () => 204);
    await t
      .http()
      .patch(`/api/v1/webhooks/${id}`)
      .set('Authorization', owner.bearer)
      .send({ enabled: true })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ enabled: true, disabledAt: null }));
  });

  it.each([
    ['a loopback name not on the allow-list', 'http://localhost:9/hook', 'a loopback address'],
    ['a private address', 'http://10.1.2.3/hook', 'a private (RFC 1918) address'],
    ['a unique local IPv6 address', 'http://[fd00::5]/hook', 'a private (unique local) address'],
    ['the cloud metadata address', 'http://169.254.169.254/latest', 'a cloud metadata address'],
    ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.2]/hook', 'a loopback address'],
    [
      'a scheme other than http(s)',
      'ftp://files.example.com/',
      'must start with https:// or http://',
    ],
  ])('refuses to register %s (400 naming why)', async (_what, url, reason) => {
    const res = await register(owner, { url, events: ['file.uploaded'] }).expect(400);
    expect(JSON.stringify(res.body.message)).toContain(reason);
    expect(JSON.stringify(res.body.message)).toContain('url');
  });

  it("keeps another user's endpoint out of sight (404) and instance-wide endpoints for admins", async () => {
    const { id } = await endpointFor(owner, '/private-to-owner');
    for (const [method, path] of [
      ['get', `/api/v1/webhooks/${id}`],
      ['patch', `/api/v1/webhooks/${id}`],
      ['delete', `/api/v1/webhooks/${id}`],
      ['get', `/api/v1/webhooks/${id}/deliveries`],
    ] as const) {
      await t.http()[method](path).set('Authorization', other.bearer).send({}).expect(404);
    }
    const listed = await t.http().get('/api/v1/webhooks').set('Authorization', other.bearer);
    expect((listed.body as { id: string }[]).map((hook) => hook.id)).not.toContain(id);

    const refused = await register(other, {
      url: receiver.url('/instance'),
      events: ['file.uploaded'],
      scope: 'instance',
    }).expect(403);
    expect(refused.body.message).toContain('admins');

    receiver.on('/instance', () => 204);
    const instance = await register(admin, {
      url: receiver.url('/instance'),
      events: ['file.uploaded'],
      scope: 'instance',
    }).expect(201);
    await upload(t, other, Buffer.from('from someone else'), 'other.txt').expect(201);
    const [call] = await receiver.calls('/instance', 1);
    const event = new Webhook(instance.body.secret as string).verify(
      call.body,
      call.headers as Record<string, string>,
    ) as { data: { name: string } };
    expect(event.data.name).toBe('other.txt');

    await t.http().delete(`/api/v1/webhooks/${id}`).set('Authorization', owner.bearer).expect(204);
    await t.http().get(`/api/v1/webhooks/${id}`).set('Authorization', owner.bearer).expect(404);
    const types = (
      await collection(t, 'audit_events')
        .find({ type: /^webhook_/ })
        .toArray()
    ).map((event) => event.type as string);
    expect(types).toEqual(expect.arrayContaining(['webhook_created', 'webhook_deleted']));
  });

  it("is in the owner's account export (without the secret) and goes with the account", async () => {
    const leaving = await signUp(t, 'hook-leaving');
    const { id, secret } = await endpointFor(leaving, '/leaving', ['link.downloaded']);
    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', leaving.bearer)
      .expect(200);
    const text = exported.text;
    expect(text).not.toContain(secret.slice('whsec_'.length));
    expect(text).not.toContain('sealedSecret');
    const document = JSON.parse(text) as { webhookEndpoints: Record<string, unknown>[] };
    expect(document.webhookEndpoints).toEqual([
      expect.objectContaining({ id, url: receiver.url('/leaving'), events: ['link.downloaded'] }),
    ]);

    await t
      .http()
      .delete(`/api/v1/users/${leaving.id}`)
      .set('Authorization', admin.bearer)
      .expect(204);
    expect(await collection(t, 'webhook_endpoints').countDocuments({})).toBeGreaterThan(0);
    expect(
      await collection(t, 'webhook_endpoints').findOne({ url: receiver.url('/leaving') }),
    ).toBeNull();
  });

  it('lets API keys in with the webhooks:write scope only', async () => {
    const [reader, hooks] = await Promise.all([
      createApiKey(t, owner, ['files:read']),
      createApiKey(t, owner, ['webhooks:write']),
    ]);
    await t.http().get('/api/v1/webhooks').set('Authorization', reader.bearer).expect(403);
    await t.http().get('/api/v1/webhooks').set('Authorization', hooks.bearer).expect(200);
  });

  it('tells the owner of a link when it was downloaded, not the downloader', async () => {
    receiver.on('/downloads', () => 204);
    const { secret } = await endpointFor(owner, '/downloads', ['link.downloaded']);
    const fileId = (await upload(t, owner, Buffer.from('public'), 'flyer.txt').expect(201)).body
      .id as string;
    const link = await createLink(t, owner, fileId);
    await t.http().get(`/api/v1/public/links/${link.token}/content`).expect(200);

    const [call] = await receiver.calls('/downloads', 1);
    const event = new Webhook(secret).verify(call.body, call.headers as Record<string, string>) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event).toMatchObject({
      type: 'link.downloaded',
      data: { linkId: link.id, fileId, fileName: 'flyer.txt' },
    });
    expect(call.body).not.toContain(link.token);
  });

  it('tells the requester once per visit when files arrive through an upload request', async () => {
    receiver.on('/requests', () => 204);
    const { secret } = await endpointFor(owner, '/requests', ['upload_request.fulfilled']);
    const request = await createUploadRequest(t, owner, { title: 'Tax papers' });
    const first = await sendThroughRequest(t, request.token, Buffer.from('one'), {
      name: 'receipt.pdf',
    }).expect(201);
    await sendThroughRequest(t, request.token, Buffer.from('two'), {
      visit: visitCookie(first),
    }).expect(201);

    const [call] = await receiver.calls('/requests', 1);
    const event = new Webhook(secret).verify(call.body, call.headers as Record<string, string>) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event).toMatchObject({
      type: 'upload_request.fulfilled',
      data: { uploadRequestId: request.id, title: 'Tax papers', firstFileName: 'receipt.pdf' },
    });
    // The second file of the same visit is not announced again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receiver.calls('/requests', 1)).toHaveLength(1);
  });
});
