import { readFileSync } from 'node:fs';
import { createTestApp, type TestApp } from '../../support/test-app';
import { ensureWebAppBuilt, WEB_APP_INDEX } from '../../support/web-app';

describe('the web app at /', () => {
  let t: TestApp;

  beforeAll(async () => {
    ensureWebAppBuilt();
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('serves index.html with a strict CSP: self only, nothing unsafe, no inline code', async () => {
    const res = await t
      .http()
      .get('/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/^default-src 'self'/);
    expect(csp).not.toMatch(/unsafe|https:|data:|\*/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<div id="app">');
    // Every script and stylesheet is a file of our own: no inline script, style or handler.
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves the hashed assets as immutable, under the same CSP', async () => {
    const [, asset] = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(WEB_APP_INDEX, 'utf8'))!;
    const res = await t
      .http()
      .get(asset)
      .expect(200)
      .expect('Content-Type', /javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'self'/);
  });

  it.each(['/files', '/shared', '/admin/users', '/sign-in'])(
    'answers the deep link %s with the app, for its router',
    async (path) => {
      const res = await t
        .http()
        .get(path)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect(res.text).toContain('<div id="app">');
    },
  );

  it('leaves the API, docs, health, metrics and link page to their own routes', async () => {
    await t.http().get('/api/v1').expect(200).expect('Content-Type', /json/);
    await t.http().get('/health').expect('Content-Type', /json/);
    await t
      .http()
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    const docs = await t.http().get('/docs').expect(200);
    expect(docs.text).toContain('swagger');
    const link = await t.http().get('/s/not-a-real-token').expect(404);
    expect(link.text).toContain('This link is no longer available');
  });

  it.each(['/api/v1/no-such-route', '/api/nothing', '/api', '/health/nothing', '/s/a/b'])(
    'keeps the JSON 404 for the unknown server path %s',
    async (path) => {
      const res = await t.http().get(path).expect(404).expect('Content-Type', /json/);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    },
  );

  it('leaves the API its own answers to bad bodies', async () => {
    const malformed = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(malformed.body.message).toMatch(/JSON/);
    await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'x'.repeat(200_000) }))
      .expect(413);
  });

  it('answers other methods on app paths with the JSON 404, not the page', async () => {
    await t.http().post('/files').send({}).expect(404).expect('Content-Type', /json/);
  });
});
