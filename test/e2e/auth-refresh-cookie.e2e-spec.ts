import { STRONG_PASSWORD, signUp } from '../support/accounts';
import { refreshCookie } from '../support/refresh-cookie';
import { createTestApp, type TestApp } from '../support/test-app';

const HOST = 'files.example.com';
const OWN_ORIGIN = `https://${HOST}`;

describe('the refresh cookie (web app sessions)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const cookieLogin = async (email: string) => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email, password: STRONG_PASSWORD, refreshTokenDelivery: 'cookie' })
      .expect(200);
    return { body: res.body, cookie: refreshCookie(res.headers) };
  };
  const refreshWith = (cookie: string, origin: string | null = OWN_ORIGIN) => {
    const req = t.http().post('/api/v1/auth/refresh').set('Host', HOST).set('Cookie', cookie);
    return (origin ? req.set('Origin', origin) : req).send({});
  };

  it('login puts the refresh token in an HttpOnly, Secure, SameSite=Strict cookie, not the body', async () => {
    const { email } = await signUp(t, 'cookie-login');
    const { body, cookie } = await cookieLogin(email);
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(cookie.attributes).toMatch(/Max-Age=2592000/);
    for (const attribute of ['Path=/api/v1/auth', 'HttpOnly', 'Secure', 'SameSite=Strict']) {
      expect(cookie.attributes.split('; ')).toContain(attribute);
    }
  });

  it('refresh rotates the cookie; the old one, presented again, ends the whole session', async () => {
    const { email } = await signUp(t, 'cookie-rotate');
    const first = (await cookieLogin(email)).cookie.pair;
    const refreshed = await refreshWith(first).expect(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const second = refreshCookie(refreshed.headers).pair;
    expect(second).not.toBe(first);
    await t
      .http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
      .expect(200);

    const reused = await refreshWith(first).expect(401);
    expect(refreshCookie(reused.headers).attributes).toMatch(/Expires=Thu, 01 Jan 1970/);
    await refreshWith(second).expect(401);
  });

  it.each([
    ['another site', 'https://evil.example.net'],
    ['no Origin header', null],
  ])(
    'refuses the cookie from %s with 403 and leaves the session usable',
    async (_label, origin) => {
      const { email } = await signUp(t, 'cookie-csrf');
      const cookie = (await cookieLogin(email)).cookie.pair;
      const refused = await refreshWith(cookie, origin).expect(403);
      expect(refused.body.message).toMatch(/own pages/);
      await refreshWith(cookie).expect(200);
    },
  );

  it('without a body token or a cookie, says what to send', async () => {
    for (const route of ['refresh', 'logout']) {
      const res = await t.http().post(`/api/v1/auth/${route}`).send({}).expect(401);
      expect(res.body.message).toMatch(/refreshToken is required/);
    }
  });

  it('logout with the cookie ends the session and clears the cookie', async () => {
    const { email } = await signUp(t, 'cookie-logout');
    const cookie = (await cookieLogin(email)).cookie.pair;
    const res = await t
      .http()
      .post('/api/v1/auth/logout')
      .set('Host', HOST)
      .set('Origin', OWN_ORIGIN)
      .set('Cookie', cookie)
      .send({})
      .expect(204);
    expect(refreshCookie(res.headers).attributes).toMatch(/Expires=Thu, 01 Jan 1970/);
    await refreshWith(cookie).expect(401);
  });

  it('logout from another site is refused and the session survives', async () => {
    const { email } = await signUp(t, 'cookie-logout-csrf');
    const cookie = (await cookieLogin(email)).cookie.pair;
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set('Host', HOST)
      .set('Origin', 'https://evil.example.net')
      .set('Cookie', cookie)
      .send({})
      .expect(403);
    await refreshWith(cookie).expect(200);
  });

  it('rejects an unknown delivery', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'a@example.com', password: STRONG_PASSWORD, refreshTokenDelivery: 'url' })
      .expect(400);
    expect(res.body.message).toEqual(['refreshTokenDelivery must be body or cookie']);
  });
});

describe('GET /api/v1/auth/setup-state', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { REGISTRATION: 'closed' } });
  });
  afterAll(() => t?.close());

  it('tells a sign-in page, without credentials, whether anyone can sign in yet', async () => {
    const res = await t.http().get('/api/v1/auth/setup-state').expect(200);
    expect(res.body).toEqual({
      hasUsers: false,
      registration: 'closed',
      passwordRules: { minLength: 12, maxLength: 128, strengthChecked: true },
      sso: { enabled: false, passwordSignIn: true },
    });
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'x@example.com', password: STRONG_PASSWORD })
      .expect(403);
  });

  it('is in the API document', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/auth/setup-state'].get.responses['200']).toBeDefined();
  });
});

describe('setup-state once an account exists', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('says so, and that registration is open', async () => {
    await signUp(t, 'first');
    const res = await t.http().get('/api/v1/auth/setup-state').expect(200);
    expect(res.body).toMatchObject({ hasUsers: true, registration: 'open' });
  });
});
