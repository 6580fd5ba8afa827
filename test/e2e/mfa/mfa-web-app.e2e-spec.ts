import { ADMIN_ENV, signUp } from '../../support/accounts';
import { clearOfStepEdge, enrolTotp, passwordStep, totpCode } from '../../support/mfa';
import { refreshCookie } from '../../support/refresh-cookie';
import { createTestApp, type TestApp } from '../../support/test-app';

const HOST = 'files.example.com';

/** What the web app needs from the second factor: the session in the cookie, and the factor's state. */
describe('the second factor for the web app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, MFA_REQUIRED_ROLES: 'admin' } });
  });
  afterAll(() => t.close());

  /** The refresh cookie's session works: it refreshes from our own origin. */
  const refreshesWith = (cookie: string) =>
    t
      .http()
      .post('/api/v1/auth/refresh')
      .set('Host', HOST)
      .set('Origin', `https://${HOST}`)
      .set('Cookie', cookie)
      .send({})
      .expect(200);

  it('the code step can end in the refresh cookie, as login does', async () => {
    const account = await signUp(t, 'mfa-cookie');
    const { secret } = await enrolTotp(t, account);
    const mfaToken = await passwordStep(t, account);
    await clearOfStepEdge();
    const res = await t
      .http()
      .post('/api/v1/auth/mfa/verify')
      .send({ mfaToken, code: totpCode(secret), refreshTokenDelivery: 'cookie' })
      .expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const cookie = refreshCookie(res.headers);
    for (const attribute of ['Path=/api/v1/auth', 'HttpOnly', 'Secure', 'SameSite=Strict']) {
      expect(cookie.attributes.split('; ')).toContain(attribute);
    }
    await refreshesWith(cookie.pair);
  });

  it('forced enrolment at sign-in can end in the refresh cookie, with the recovery codes in the body', async () => {
    const challenge = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD })
      .expect(200);
    const { mfaToken } = challenge.body as { mfaToken: string };
    const enrolment = await t.http().post('/api/v1/auth/mfa/totp').send({ mfaToken }).expect(201);
    await clearOfStepEdge();
    const done = await t
      .http()
      .post('/api/v1/auth/mfa/totp/confirm')
      .send({
        mfaToken,
        code: totpCode(enrolment.body.secret as string),
        refreshTokenDelivery: 'cookie',
      })
      .expect(200);
    expect(done.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      recoveryCodes: expect.arrayContaining([expect.any(String)]),
    });
    await refreshesWith(refreshCookie(done.headers).pair);
  });

  it('an unknown delivery is a 400 that names the choices', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/mfa/verify')
      .send({ mfaToken: 'x'.repeat(40), code: '123456', refreshTokenDelivery: 'header' })
      .expect(400);
    expect(res.body.message).toEqual(['refreshTokenDelivery must be body or cookie']);
  });

  it('GET /users/me/mfa/totp says whether a factor is set and how many recovery codes are left', async () => {
    const account = await signUp(t, 'mfa-state');
    const state = () =>
      t.http().get('/api/v1/users/me/mfa/totp').set('Authorization', account.bearer).expect(200);
    const off = { enabled: false, confirmedAt: null, recoveryCodesLeft: 0 };
    expect((await state()).body).toEqual(off);

    // A pending enrolment is not a factor yet.
    await t
      .http()
      .post('/api/v1/users/me/mfa/totp')
      .set('Authorization', account.bearer)
      .expect(201);
    expect((await state()).body).toEqual(off);

    const { recoveryCodes } = await enrolTotp(t, account);
    expect((await state()).body).toEqual({
      enabled: true,
      confirmedAt: expect.any(String),
      recoveryCodesLeft: 10,
    });
    await t
      .http()
      .post('/api/v1/auth/mfa/verify')
      .send({ mfaToken: await passwordStep(t, account), code: recoveryCodes[3] })
      .expect(200);
    expect((await state()).body.recoveryCodesLeft).toBe(9);

    const text = JSON.stringify((await state()).body);
    expect(text).not.toMatch(/secret|otpauth/i);
    await t.http().get('/api/v1/users/me/mfa/totp').expect(401);
  });
});
