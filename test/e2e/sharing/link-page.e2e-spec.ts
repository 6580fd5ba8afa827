import { type Account, signUp } from '../../support/accounts';
import { createLink, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('GET /s/:token, the link page', () => {
  let t: TestApp;
  let owner: Account;
  let fileId: string;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t, 'page-owner');
    fileId = (
      await upload(t, owner, Buffer.alloc(2048, 1), '<img src=x onerror=alert(1)>.pdf').expect(201)
    ).body.id as string;
  });
  afterAll(() => t.close());

  const link = async (body: Record<string, unknown> = {}) =>
    (await createLink(t, owner, fileId, body)).token;

  it('shows the name (escaped), the size and a download button, under a strict CSP and no scripts', async () => {
    const token = await link();
    const res = await t.http().get(`/s/${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;.pdf');
    expect(res.text).not.toContain('<img');
    expect(res.text).not.toContain('<script');
    expect(res.text).toContain('2 KB');
    expect(res.text).toContain(`href="/api/v1/public/links/${token}/content"`);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('asks for the password, and redirects to a grant URL once it is right, without the password in any URL', async () => {
    const token = await link({ password: 'correct horse 9' });
    const page = await t.http().get(`/s/${token}`).expect(200);
    expect(page.text).toContain(`<form method="post" action="/s/${token}">`);
    expect(page.text).not.toContain(`/api/v1/public/links/${token}/content`);

    const wrong = await t
      .http()
      .post(`/s/${token}`)
      .type('form')
      .send({ password: 'nope' })
      .expect(401);
    expect(wrong.text).toContain('Wrong password; try again.');

    const right = await t
      .http()
      .post(`/s/${token}`)
      .type('form')
      .send({ password: 'correct horse 9' })
      .expect(303);
    expect(right.headers.location).toMatch(
      new RegExp(`^/api/v1/public/links/${token}/content\\?grant=`),
    );
    expect(right.headers.location).not.toContain('horse');
    await t.http().get(right.headers.location).expect(200);
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
