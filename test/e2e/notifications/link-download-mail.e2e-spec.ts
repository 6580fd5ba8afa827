import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { createLink, upload } from '../../support/files';
import { mailTo } from '../../support/mail';
import { createTestApp, type TestApp } from '../../support/test-app';

const PUBLIC_URL = 'https://files.example.com';

describe('e-mail to the owner when a link is downloaded (a per-user preference)', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let t: TestApp;
  let owner: Account;
  let quiet: Account;

  beforeAll(async () => {
    workDir = await createTempDir('mailpit');
    mailpit = await MailpitServer.start({ workDir: workDir.path });
    t = await createTestApp({
      env: {
        PUBLIC_URL,
        SMTP_URL: mailpit.smtpUrl,
        MAIL_FROM: 'Strongroom <files@example.com>',
        OUTBOX_POLL_INTERVAL: '200ms',
      },
    });
    [owner, quiet] = await Promise.all([signUp(t, 'notice-owner'), signUp(t, 'notice-quiet')]);
  });
  afterAll(async () => {
    await t?.close();
    await mailpit?.stop();
    await workDir?.remove();
  });

  const preferences = (account: Account) =>
    t.http().get('/api/v1/users/me/preferences').set('Authorization', account.bearer);
  const setPreferences = (account: Account, body: Record<string, unknown>) =>
    t.http().patch('/api/v1/users/me/preferences').set('Authorization', account.bearer).send(body);

  /**
   * Uploads a file, puts it behind a link and downloads it once through the link. The notice is
   * queued after the response ends; the pause lets it be, and the worker (200 ms) send it.
   */
  async function downloadThroughLink(account: Account, name: string): Promise<void> {
    const fileId = (await upload(t, account, Buffer.from('report'), name).expect(201)).body
      .id as string;
    const { token } = await createLink(t, account, fileId);
    await t.http().get(`/api/v1/public/links/${token}/content`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }

  it('is off by default, and says what to fix for a value that is not a boolean', async () => {
    expect((await preferences(owner).expect(200)).body).toEqual({ notifyOnLinkDownload: false });
    const refused = await setPreferences(owner, { notifyOnLinkDownload: 'yes' }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('notifyOnLinkDownload must be true or false');
    await setPreferences(owner, { role: 'admin' }).expect(400);
    expect((await preferences(owner).expect(200)).body).toEqual({ notifyOnLinkDownload: false });
  });

  it('sends nothing to an owner who did not ask for it', async () => {
    await downloadThroughLink(quiet, 'quiet.txt');
    expect((await mailpit.messages()).some((mail) => mail.to.includes(quiet.email))).toBe(false);
    expect(await collection(t, 'outbox_messages').countDocuments({ to: quiet.email })).toBe(0);
  });

  it('once turned on, each link download mails the owner, text and HTML, names escaped', async () => {
    const saved = await setPreferences(owner, { notifyOnLinkDownload: true }).expect(200);
    expect(saved.body).toEqual({ notifyOnLinkDownload: true });
    expect((await preferences(owner).expect(200)).body).toEqual({ notifyOnLinkDownload: true });

    await downloadThroughLink(owner, 'Q3 <b>figures<b> & notes.txt');
    const [mail] = await mailTo(mailpit, owner.email);
    expect(mail.from).toBe('files@example.com');
    expect(mail.subject).toBe('“Q3 <b>figures<b> & notes.txt” was downloaded through your link');
    const { text, html } = await mailpit.bodies(mail.id);
    expect(text).toContain('was downloaded through one of your links on Strongroom at');
    expect(text).toContain(`${PUBLIC_URL}/settings/security`);
    expect(html).toContain('Q3 &lt;b&gt;figures&lt;b&gt; &amp; notes.txt');
    expect(html).not.toContain('<b>figures');
    expect(html).not.toMatch(/<img/i);
  });

  it('stops when turned off again, and the account export carries the choice', async () => {
    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', owner.bearer)
      .expect(200);
    expect((exported.body as { account: object }).account).toMatchObject({
      notifyOnLinkDownload: true,
    });

    await setPreferences(owner, { notifyOnLinkDownload: false }).expect(200);
    const before = await collection(t, 'outbox_messages').countDocuments({ to: owner.email });
    await downloadThroughLink(owner, 'later.txt');
    expect(await collection(t, 'outbox_messages').countDocuments({ to: owner.email })).toBe(before);
  });
});
