import { OutboxWorker } from '@strongroom/notifications';
import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { upload } from '../../support/files';
import { mailTo } from '../../support/mail';
import { createTestApp, type TestApp } from '../../support/test-app';

/** More than two of the worker's batches (20 messages each). */
const BACKLOG = 45;

describe('the outbox worker is woken by what is queued, not only by its poll', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    workDir = await createTempDir('outbox-wake');
    mailpit = await MailpitServer.start({ workDir: workDir.path });
    // A poll so slow that only a wake-up can deliver within the test.
    t = await createTestApp({ env: { SMTP_URL: mailpit.smtpUrl, OUTBOX_POLL_INTERVAL: '10m' } });
    owner = await signUp(t, 'wake-owner');
  });
  afterAll(async () => {
    await t?.close();
    await mailpit?.stop();
    await workDir?.remove();
  });

  it('sends a share mail at once, though the next poll is ten minutes away', async () => {
    const friend = await signUp(t, 'wake-friend');
    const fileId = (await upload(t, owner, Buffer.from('n'), 'now.txt').expect(201)).body
      .id as string;
    await t
      .http()
      .post(`/api/v1/files/${fileId}/shares`)
      .set('Authorization', owner.bearer)
      .send({ email: friend.email })
      .expect(201);
    const [mail] = await mailTo(mailpit, friend.email);
    expect(mail.subject).toBe(`${owner.email} shared “now.txt” with you`);
  });

  it('works through a backlog of several batches on one wake-up, batch after batch', async () => {
    // Queued the way another instance queues them: in the database, without waking this one.
    const to = 'backlog@example.com';
    const now = new Date();
    await collection(t, 'outbox_messages').insertMany(
      Array.from({ length: BACKLOG }, (_, i) => ({
        channel: 'mail',
        topic: 'share_received',
        to,
        subject: `backlog ${i}`,
        text: `backlog ${i}`,
        html: `<p>backlog ${i}</p>`,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    t.app.get(OutboxWorker).wake();
    expect(await mailTo(mailpit, to, BACKLOG)).toHaveLength(BACKLOG);
  });
});
