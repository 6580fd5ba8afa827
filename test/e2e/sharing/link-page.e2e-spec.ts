import { type Account, signUp } from '../../support/accounts';
import { createLink, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Where the "download started" page sends the browser (its meta refresh), unescaped. */
function startedDownloadUrl(html: string): string {
  const match = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html);
  if (!match) throw new Error(`no download started in ${html}`);
  return match[1].replaceAll('&amp;', '&');
}

describe('GET /s/:token, the link page', () => {
  let t: TestApp;
  let owner: Account;
  let fileId: string;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t, 'page-owner', { displayName: 'Grace <Hopper>' });
    fileId = (
      await upload(t, owner, Buffer.alloc(2048, 1), '<img src=x onerror=alert(1)>.pdf').expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const link = async (body: Record<string, unknown> = {}) =>
    (await createLink(t, owner, fileId, body)).token;

  it('shows the name (escaped), the size, the sharer, the expiry and a download button, under a strict CSP and no scripts', async () => {
    const expiresAt = new Date(Date.now() + 3 * 24 * 3600_000 + 60_000);
    const token = await link({ expiresAt: expiresAt.toISOString() });
    const res = await t.http().get(`/s/${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;.pdf');
    expect(res.text).not.toContain('<img');
    expect(res.text).not.toContain('<script');
    expect(res.text).toContain('2 KB');
    expect(res.text).toContain(`Grace &lt;Hopper&gt; (${owner.email})`);
    expect(res.text).toContain(`<time datetime="${expiresAt.toISOString()}">`);
    expect(res.text).toContain('(in 3 days)');
    expect(res.text).not.toContain('downloads left');
    expect(res.text).toContain(`<form method="post" action="/s/${token}/download">`);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers the download button with the "download started" page, which starts it without a script', async () => {
    const token = await link();
    const started = await t.http().post(`/s/${token}/download`).type('form').send({}).expect(200);
    expect(started.text).toContain('Your download has started');
    expect(started.text).not.toContain('<script');
    expect(startedDownloadUrl(started.text)).toBe(`/api/v1/public/links/${token}/content`);
    await t.http().get(startedDownloadUrl(started.text)).expect(200);
  });

  it('counts down the downloads left, then says the used-up link is gone', async () => {
    const token = await link({ maxDownloads: 2 });
    await expect(t.http().get(`/s/${token}`).expect(200)).resolves.toHaveProperty(
      'text',
      expect.stringContaining('<dd>2 downloads left</dd>'),
    );
    await t.http().get(`/api/v1/public/links/${token}/content`).expect(200);
    await expect(t.http().get(`/s/${token}`).expect(200)).resolves.toHaveProperty(
      'text',
      expect.stringContaining('<dd>1 download left</dd>'),
    );
    await t.http().get(`/api/v1/public/links/${token}/content`).expect(200);
    const gone = await t.http().get(`/s/${token}`).expect(404);
    expect(gone.text).toContain('This link is no longer available');
    expect(gone.text).not.toContain('Hopper');
    await t.http().post(`/s/${token}/download`).expect(404);
  });

  it('asks for the password, and starts the download from a grant URL once it is right, without the password in any URL', async () => {
    const token = await link({ password: 'correct horse 9' });
    const page = await t.http().get(`/s/${token}`).expect(200);
    expect(page.text).toContain(`<form method="post" action="/s/${token}">`);
    expect(page.text).toContain(owner.email);
    expect(page.text).not.toContain(`/api/v1/public/links/${token}/content`);

    const wrong = await t
      .http()
      .post(`/s/${token}`)
      .type('form')
      .send({ password: 'nope' })
      .expect(401);
    expect(wrong.text).toContain('Wrong password; try again.');

    // The download button's route does not skip the password.
    const skipped = await t.http().post(`/s/${token}/download`).expect(401);
    expect(skipped.text).toContain('This file is protected by a password; enter it to download.');
    expect(skipped.text).not.toContain('http-equiv="refresh"');

    const right = await t
      .http()
      .post(`/s/${token}`)
      .type('form')
      .send({ password: 'correct horse 9' })
      .expect(200);
    expect(right.text).toContain('Your download has started');
    const grantUrl = startedDownloadUrl(right.text);
    expect(grantUrl).toMatch(new RegExp(`^/api/v1/public/links/${token}/content\\?grant=`));
    expect(grantUrl).not.toContain('horse');
    await t.http().get(grantUrl).expect(200);
  });

  it('says plainly when a link is dead (404)', async () => {
    const res = await t
      .http()
      .get(`/s/${'A'.repeat(43)}`)
      .expect(404);
    expect(res.text).toContain('This link is no longer available');
    await t.http().get('/s/short').expect(404);
  });
});
