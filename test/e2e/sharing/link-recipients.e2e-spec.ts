import { createTempDir, MailpitServer, type TempDir } from '@strongroom/testing';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { sha256, upload } from '../../support/files';
import { mailTo } from '../../support/mail';
import { createTestApp, type TestApp } from '../../support/test-app';

const RECIPIENT = 'ana.recipient@example.com';
const CODE_SENT = /a code is on its way/;

/**
 * Links for named recipients: only a listed address opens the link, with a six-digit code sent
 * to it by e-mail (Mailpit here), over the API and on the page that works without JavaScript.
 */
describe('links for named recipients, unlocked by a one-time code by e-mail', () => {
  let workDir: TempDir;
  let mailpit: MailpitServer;
  let t: TestApp;
  let admin: Account;
  let owner: Account;
  let fileId: string;
  const content = Buffer.from('contract for named recipients only\n');

  beforeAll(async () => {
    workDir = await createTempDir('mailpit-recipients');
    mailpit = await MailpitServer.start({ workDir: workDir.path });
    t = await createTestApp({
      env: {
        ...ADMIN_ENV,
        SMTP_URL: mailpit.smtpUrl,
        OUTBOX_POLL_INTERVAL: '200ms',
        // Every try below comes from one address; the per-code limit is what is under test.
        AUTH_RATE_LIMIT_MAX: '200',
      },
    });
    admin = await firstAdmin(t);
    owner = await signUp(t, 'recipients-owner');
    fileId = (await upload(t, owner, content, 'Contract.pdf').expect(201)).body.id as string;
  });
  afterAll(async () => {
    await t?.close();
    await mailpit?.stop();
    await workDir?.remove();
  });

  const createLink = (body: Record<string, unknown>) =>
    t.http().post(`/api/v1/files/${fileId}/links`).set('Authorization', owner.bearer).send(body);
  const publicLink = (token: string, path = '') => `/api/v1/public/links/${token}${path}`;
  const askForCode = (token: string, email: string) =>
    t.http().post(publicLink(token, '/verification')).send({ email }).expect(202);
  const confirm = (token: string, body: Record<string, unknown>) =>
    t.http().post(publicLink(token, '/verification/confirm')).send(body);
  const mailsTo = async (address: string) =>
    (await mailpit.messages()).filter((mail) => mail.to.includes(address)).length;
  /** The code in the newest of `count` mails to the address. */
  const latestCode = async (address: string, count: number) => {
    const [newest] = await mailTo(mailpit, address, count);
    const { text } = await mailpit.bodies(newest.id);
    return /\b(\d{6})\b/.exec(text)![1];
  };

  it('names its recipients (normalised), and opens to nobody without a code', async () => {
    const created = await createLink({ recipients: ['Ana.Recipient@Example.com'] }).expect(201);
    expect(created.body.recipients).toEqual([RECIPIENT]);
    const { token } = created.body as { token: string };
    expect((await t.http().get(publicLink(token)).expect(200)).body).toMatchObject({
      requiresVerification: true,
      requiresPassword: false,
    });
    await t.http().get(publicLink(token, '/content')).expect(401);
    const unlock = await t
      .http()
      .post(publicLink(token, '/unlock'))
      .send({ password: 'whatever it is' })
      .expect(401);
    expect(unlock.body.message).toMatch(/named recipients/);

    // A link for anyone has no code to ask for.
    const open = (await createLink({}).expect(201)).body as { token: string };
    const none = await t
      .http()
      .post(publicLink(open.token, '/verification'))
      .send({ email: RECIPIENT })
      .expect(404);
    expect(none.body.message).toMatch(/not limited to named recipients/);
  });

  it('sends a code only to a listed address, answering every address alike; five wrong codes end it', async () => {
    const { token } = (await createLink({ recipients: [RECIPIENT] }).expect(201)).body as {
      token: string;
    };
    const stranger = await askForCode(token, 'mallory@example.net');
    const listed = await askForCode(token, RECIPIENT);
    expect(stranger.body).toEqual(listed.body);
    expect(listed.body.message).toMatch(CODE_SENT);
    const code = await latestCode(RECIPIENT, 1);
    expect((await mailpit.messages()).some((mail) => mail.to.includes('mallory@example.net'))).toBe(
      false,
    );

    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const refused = await confirm(token, { email: RECIPIENT, code: wrong }).expect(401);
      expect(refused.body.message).toMatch(/Wrong code/);
    }
    const locked = await confirm(token, { email: RECIPIENT, code }).expect(429);
    expect(locked.body.message).toMatch(/ask for a new code/);
    // A stranger's address has no code at all.
    await confirm(token, { email: 'mallory@example.net', code }).expect(401);

    // A new code works once, and its grant downloads the file; the ledger names the address.
    await askForCode(token, RECIPIENT);
    const fresh = await latestCode(RECIPIENT, 2);
    const granted = await confirm(token, { email: RECIPIENT, code: fresh }).expect(200);
    await confirm(token, { email: RECIPIENT, code: fresh }).expect(401);
    const download = await t
      .http()
      .get(granted.body.downloadUrl as string)
      .expect(200);
    expect(sha256(download.body as Buffer)).toBe(sha256(content));
    // Stored sealed under the link owner's key (the address has no account of its own).
    const verified = await auditEvent(t, {
      type: 'link_recipient_verified',
      'target.userId': owner.id,
    });
    expect(verified.details).toMatchObject({ recipient: RECIPIENT });
    expect(
      await collection(t, 'audit_events').countDocuments({ 'details.recipient': RECIPIENT }),
    ).toBe(0);

    let ledger = await t
      .http()
      .get(`/api/v1/files/${fileId}/activity`)
      .set('Authorization', owner.bearer)
      .expect(200);
    for (
      let i = 0;
      i < 50 && !ledger.body.items.some((item: { recipient?: string }) => item.recipient);
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ledger = await t
        .http()
        .get(`/api/v1/files/${fileId}/activity`)
        .set('Authorization', owner.bearer)
        .expect(200);
    }
    expect(ledger.body.items[0]).toMatchObject({ type: 'link_downloaded', recipient: RECIPIENT });

    // The owner's account export lists the link's recipients.
    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', owner.bearer)
      .expect(200);
    const exportBody = JSON.parse(exported.text) as { links: { recipients?: string[] }[] };
    expect(exportBody.links.some((entry) => entry.recipients?.includes(RECIPIENT))).toBe(true);

    // Codes are kept only as keyed hashes.
    const stored = await collection(t, 'link_recipient_codes').find({ email: RECIPIENT }).toArray();
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(fresh);
  });

  it('a link with a password too asks for both', async () => {
    const { token } = (
      await createLink({ recipients: [RECIPIENT], password: 'river stone lamp 7' }).expect(201)
    ).body as { token: string };
    const before = await mailsTo(RECIPIENT);
    await askForCode(token, RECIPIENT);
    const code = await latestCode(RECIPIENT, before + 1);
    await confirm(token, { email: RECIPIENT, code, password: 'wrong password' }).expect(401);
    const granted = await confirm(token, {
      email: RECIPIENT,
      code,
      password: 'river stone lamp 7',
    }).expect(200);
    await t
      .http()
      .get(granted.body.downloadUrl as string)
      .expect(200);
  });

  it('works on the link page without JavaScript: address, code, download', async () => {
    const { token } = (await createLink({ recipients: [RECIPIENT] }).expect(201)).body as {
      token: string;
    };
    const page = await t.http().get(`/s/${token}`).expect(200);
    expect(page.text).toContain('Only the people it was sent to can open it');
    expect(page.text).toContain(`action="/s/${token}/code"`);

    const before = await mailsTo(RECIPIENT);
    const asked = await t
      .http()
      .post(`/s/${token}/code`)
      .type('form')
      .send({ email: RECIPIENT })
      .expect(200);
    expect(asked.text).toMatch(CODE_SENT);
    expect(asked.text).toContain(`action="/s/${token}/verify"`);
    const code = await latestCode(RECIPIENT, before + 1);

    const wrong = await t
      .http()
      .post(`/s/${token}/verify`)
      .type('form')
      .send({ email: RECIPIENT, code: code === '000000' ? '111111' : '000000' })
      .expect(401);
    expect(wrong.text).toContain('Wrong code');
    const started = await t
      .http()
      .post(`/s/${token}/verify`)
      .type('form')
      .send({ email: RECIPIENT, code })
      .expect(200);
    const refresh = /content="0;url=([^"]+)"/.exec(started.text)![1].replace(/&amp;/g, '&');
    expect(refresh).toContain('grant=');
    const download = await t.http().get(refresh).expect(200);
    expect(sha256(download.body as Buffer)).toBe(sha256(content));
  });

  it('a link policy can require named recipients, and the allowed domains hold for them', async () => {
    await t
      .http()
      .post('/api/v1/link-policies')
      .set('Authorization', admin.bearer)
      .send({ role: 'user', verifyRecipients: true, allowedRecipientDomains: ['example.com'] })
      .expect(201);
    const policy = await t.http().get('/api/v1/links/policy').set('Authorization', owner.bearer);
    expect(policy.body.verifyRecipients).toBe(true);
    const refused = await createLink({}).expect(400);
    expect(refused.body.message).toMatch(/must name its recipients.*role 'user'/);
    const outside = await createLink({ recipients: ['someone@elsewhere.org'] }).expect(400);
    expect(outside.body.message).toMatch(/only with addresses at example.com/);
    await createLink({ recipients: [RECIPIENT] }).expect(201);
  });
});

describe('named recipients without e-mail', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('are refused with the reason: the codes could not be sent', async () => {
    t = await createTestApp();
    const owner = await signUp(t, 'recipients-no-mail');
    const id = (await upload(t, owner, Buffer.from('x')).expect(201)).body.id as string;
    const refused = await t
      .http()
      .post(`/api/v1/files/${id}/links`)
      .set('Authorization', owner.bearer)
      .send({ recipients: [RECIPIENT] })
      .expect(400);
    expect(refused.body.message).toMatch(/SMTP_URL/);
  });
});
