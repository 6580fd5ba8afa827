import { Outbox } from '@strongroom/notifications';
import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { mailTo } from '../../support/mail';
import { metricValue } from '../../support/metrics';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const PUBLIC_URL = 'https://files.example.com';

describe('e-mail when something is shared (through the outbox, to Mailpit)', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let friend: Account;

  beforeAll(async () => {
    workDir = await createTempDir('mailpit');
    mailpit = await MailpitServer.start({ workDir: workDir.path });
    t = await createTestApp({
      env: {
        ...ADMIN_ENV,
        PUBLIC_URL,
        SMTP_URL: mailpit.smtpUrl,
        MAIL_FROM: 'Strongroom <files@example.com>',
        OUTBOX_POLL_INTERVAL: '200ms',
      },
    });
    admin = await firstAdmin(t);
    [owner, friend] = await Promise.all([signUp(t, 'mail-owner'), signUp(t, 'mail-friend')]);
  });
  afterAll(async () => {
    await t?.close();
    await mailpit?.stop();
    await workDir?.remove();
  });

  const share = async (fileId: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(`/api/v1/files/${fileId}/shares`)
      .set('Authorization', owner.bearer)
      .send(body)
      .expect(201);

  it('a colleague gets a plain-text and HTML mail naming the sharer and the file, escaped', async () => {
    const fileId = (
      await upload(t, owner, Buffer.from('x'), 'Q3 <i>draft<i> & notes.txt').expect(201)
    ).body.id as string;
    await share(fileId, { email: friend.email });

    const [mail] = await mailTo(mailpit, friend.email);
    expect(mail.from).toBe('files@example.com');
    expect(mail.subject).toBe(`${owner.email} shared “Q3 <i>draft<i> & notes.txt” with you`);
    const { text, html } = await mailpit.bodies(mail.id);
    expect(text).toContain(`${owner.email} shared “Q3 <i>draft<i> & notes.txt” with you`);
    expect(text).toContain(`${PUBLIC_URL}/shared`);
    expect(html).toContain('Q3 &lt;i&gt;draft&lt;i&gt; &amp; notes.txt');
    expect(html).not.toContain('<i>draft');
    expect(html).not.toMatch(/<img/i);
    expect(
      await metricValue(
        t,
        'strongroom_outbox_deliveries_total{topic="share_received",outcome="sent"}',
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('a group share mails every current member but the sharer', async () => {
    const [ann, ben] = await Promise.all([signUp(t, 'mail-ann'), signUp(t, 'mail-ben')]);
    const groupId = (
      await t
        .http()
        .post('/api/v1/groups')
        .set('Authorization', admin.bearer)
        .send({ name: 'Mail team' })
        .expect(201)
    ).body.id as string;
    for (const member of [owner, ann, ben]) {
      await t
        .http()
        .post(`/api/v1/groups/${groupId}/members`)
        .set('Authorization', admin.bearer)
        .send({ email: member.email })
        .expect(201);
    }
    const fileId = (await upload(t, owner, Buffer.from('y'), 'roadmap.txt').expect(201)).body
      .id as string;
    await share(fileId, { groupId });

    for (const member of [ann, ben]) {
      const [mail] = await mailTo(mailpit, member.email);
      expect(mail.subject).toBe(`${owner.email} shared “roadmap.txt” with the group “Mail team”`);
    }
    expect((await mailpit.messages()).some((mail) => mail.to.includes(owner.email))).toBe(false);
  });

  it('keeps mail while the server is unreachable and sends it once when it is back, once only', async () => {
    const ports = mailpit.ports;
    await mailpit.stop();
    const late = await signUp(t, 'mail-late');
    const fileId = (await upload(t, owner, Buffer.from('z'), 'late.txt').expect(201)).body
      .id as string;
    await share(fileId, { email: late.email });

    const outbox = collection(t, 'outbox_messages');
    const deadline = Date.now() + 20_000;
    let waiting = await outbox.findOne({ to: late.email });
    while (!(waiting?.attempts >= 1) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waiting = await outbox.findOne({ to: late.email });
    }
    expect(waiting).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.any(String),
    });
    expect((waiting!.nextAttemptAt as Date).getTime()).toBeGreaterThan(Date.now() + 10_000);

    mailpit = await MailpitServer.start({ workDir: workDir.path, ports });
    // Two instances polling at once, once the backoff is over: the attempt goes out once.
    const later = new Date(Date.now() + 3_600_000);
    const delivery = t.app.get(Outbox);
    await Promise.all([delivery.deliverDue(later), delivery.deliverDue(later)]);
    expect(await mailTo(mailpit, late.email)).toHaveLength(1);
    expect(await outbox.findOne({ to: late.email })).toMatchObject({ status: 'sent', attempts: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailTo(mailpit, late.email)).toHaveLength(1);
  });

  it('forgets sent mail after a week, and the claims of its attempts after a day', async () => {
    const delivery = t.app.get(Outbox);
    const claims = collection(t, 'outbox_claims');
    const sentBefore = await collection(t, 'outbox_messages').countDocuments({ status: 'sent' });
    expect(sentBefore).toBeGreaterThan(0);
    await delivery.prune(new Date(Date.now() + 6 * 86_400_000));
    expect(await claims.countDocuments()).toBe(0);
    expect(await collection(t, 'outbox_messages').countDocuments({ status: 'sent' })).toBe(
      sentBefore,
    );
    await delivery.prune(new Date(Date.now() + 8 * 86_400_000));
    expect(await collection(t, 'outbox_messages').countDocuments({ status: 'sent' })).toBe(0);
  });
});
