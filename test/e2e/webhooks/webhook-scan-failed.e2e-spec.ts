import { Webhook } from 'standardwebhooks';
import {
  ClamdServer,
  createTempDir,
  EICAR,
  EICAR_DETECTION,
  type TempDir,
} from '@strongroom/testing';
import { signUp } from '../../support/accounts';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';
import { WebhookReceiver } from '../../support/webhook-receiver';

describe('webhooks: an infected upload is a file.scan_failed event (with clamd)', () => {
  let workDir: TempDir;
  let clamd: ClamdServer;
  let receiver: WebhookReceiver;
  let t: TestApp;

  beforeAll(async () => {
    workDir = await createTempDir('webhook-clamd');
    [clamd, receiver] = await Promise.all([
      ClamdServer.start({ workDir: workDir.path }),
      WebhookReceiver.start(),
    ]);
    t = await createTestApp({
      env: {
        CLAMAV_HOST: clamd.host,
        CLAMAV_PORT: String(clamd.port),
        OUTBOX_POLL_INTERVAL: '100ms',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await clamd?.stop();
    await workDir?.remove();
  });

  it('names the file and the signature; a clean upload is file.uploaded', async () => {
    const eve = await signUp(t, 'hook-eve');
    const created = await t
      .http()
      .post('/api/v1/webhooks')
      .set('Authorization', eve.bearer)
      .send({ url: receiver.url('/scans'), events: ['file.scan_failed', 'file.uploaded'] })
      .expect(201);
    await upload(t, eve, EICAR, 'eicar.com').expect(422);
    await upload(t, eve, Buffer.from('clean'), 'clean.txt').expect(201);

    const calls = await receiver.calls('/scans', 2);
    const events = calls.map(
      (call) =>
        new Webhook(created.body.secret as string).verify(
          call.body,
          call.headers as Record<string, string>,
        ) as { type: string; data: Record<string, unknown> },
    );
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'file.scan_failed',
          data: expect.objectContaining({
            name: 'eicar.com',
            reason: 'infected',
            signature: EICAR_DETECTION,
          }) as unknown,
        }),
        expect.objectContaining({
          type: 'file.uploaded',
          data: expect.objectContaining({ name: 'clean.txt' }) as unknown,
        }),
      ]),
    );
  });
});
