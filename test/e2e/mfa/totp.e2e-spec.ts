import {
  ADMIN_ENV,
  collection,
  OTHER_STRONG_PASSWORD,
  signUp,
  type Account,
} from '../../support/accounts';
import { metricValue } from '../../support/metrics';
import { clearOfStepEdge, enrolTotp, passwordStep, totpCode, verifyCode } from '../../support/mfa';
import { createTestApp, type TestApp } from '../../support/test-app';

const bearer = (token: string) => `Bearer ${token}`;

describe('TOTP second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_LOCKOUT_THRESHOLD: '3', LOGIN_IP_LOCKOUT_THRESHOLD: '1000' },
    });
  });
  afterAll(() => t.close());

  const enrol = (account: Account) =>
    t.http().post('/api/v1/users/me/mfa/totp').set('Authorization', account.bearer);
  const confirm = (account: Account, code: string) =>
    t
      .http()
      .post('/api/v1/users/me/mfa/totp/confirm')
      .set('Authorization', account.bearer)
      .send({ code });
  const disable = (account: Account, body: object) =>
    t.http().delete('/api/v1/users/me/mfa/totp').set('Authorization', account.bearer).send(body);

  it('enrols with a pending secret that re-enrolment replaces, confirms once, then refuses to enrol again', async () => {
    const account = await signUp(t, 'mfa-enrol');
    const first = await enrol(account).expect(201);
    expect(first.body.secret).toMatch(/^[A-Z2-7]{52}$/);
    expect(first.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Strongroom:/);
    expect(first.body.otpauthUrl).toContain(`secret=${first.body.secret}`);

    // Until confirmed, the password alone still signs in.
    const before = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(200);
    expect(before.body.accessToken).toEqual(expect.any(String));

    const second = await enrol(account).expect(201);
    expect(second.body.secret).not.toBe(first.body.secret);
    await clearOfStepEdge();
    const stale = await confirm(account, totpCode(first.body.secret)).expect(400);
    expect(stale.body.message).toMatch(/code does not match/);

    const confirmed = await confirm(account, totpCode(second.body.secret)).expect(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const again = await enrol(account).expect(409);
    expect(again.body.message).toMatch(/already set up/);
    await confirm(account, totpCode(second.body.secret, 30)).expect(409);

    const stored = await collection(t, 'mfa_totp_factors').findOne({ userId: account.id });
    const storedText = JSON.stringify(stored);
    expect(storedText).not.toContain(second.body.secret);
    for (const code of codes) expect(storedText).not.toContain(code);
    expect(stored?.recoveryCodeHashes).toHaveLength(10);

    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', account.bearer)
      .expect(200);
    expect(exported.body.secondFactors).toEqual([
      {
        id: String(stored?._id),
        type: 'totp',
        confirmedAt: expect.any(String),
        createdAt: expect.any(String),
        recoveryCodes: 10,
      },
    ]);
    expect(exported.text).not.toContain(stored?.sealedSecret);
    expect(exported.text).not.toContain(stored?.recoveryCodeHashes[0]);
  });

  it('turns login into two steps; the mfaToken is refused as a bearer token and works once', async () => {
    const account = await signUp(t, 'mfa-login');
    const { secret } = await enrolTotp(t, account);
    const succeededBefore = await metricValue(
      t,
      'security_events_total{type="mfa_verify_succeeded"}',
    );

    const challenge = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(200);
    expect(challenge.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      methods: ['totp', 'recovery'],
      expiresIn: 300,
    });
    expect(challenge.body.accessToken).toBeUndefined();
    const { mfaToken } = challenge.body as { mfaToken: string };

    for (const path of ['/api/v1/files', '/api/v1/users/me']) {
      await t.http().get(path).set('Authorization', bearer(mfaToken)).expect(401);
    }
    await t
      .http()
      .post('/api/v1/users/me/mfa/totp')
      .set('Authorization', bearer(mfaToken))
      .expect(401);

    // The phone's clock one step ahead is still accepted.
    const code = totpCode(secret, 30);
    const signedIn = await verifyCode(t, mfaToken, code).expect(200);
    expect(signedIn.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
    });
    await t
      .http()
      .get('/api/v1/files')
      .set('Authorization', bearer(signedIn.body.accessToken))
      .expect(200);
    expect(await metricValue(t, 'security_events_total{type="mfa_verify_succeeded"}')).toBe(
      succeededBefore + 1,
    );

    // The same code again, with a fresh mfaToken: spent.
    const reused = await verifyCode(t, await passwordStep(t, account), code).expect(401);
    expect(reused.body.message).toBe('Invalid or already used code');

    // The same mfaToken again, even with a good (recovery) code: spent.
    const replay = await verifyCode(t, mfaToken, totpCode(secret, 30)).expect(401);
    expect(replay.body.message).toMatch(/Invalid or already used code|already completed/);

    const events = await collection(t, 'audit_events')
      .find({ 'target.userId': account.id, type: /^mfa_|^login_succeeded$/ })
      .toArray();
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'mfa_enrolled',
        'mfa_confirmed',
        'mfa_verify_succeeded',
        'mfa_verify_failed',
      ]),
    );
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('an mfaToken completes only one sign-in', async () => {
    const account = await signUp(t, 'mfa-token-once');
    const { recoveryCodes } = await enrolTotp(t, account);
    const mfaToken = await passwordStep(t, account);
    await verifyCode(t, mfaToken, recoveryCodes[0]).expect(200);
    const replay = await verifyCode(t, mfaToken, recoveryCodes[1]).expect(401);
    expect(replay.body.message).toMatch(/already completed/);
  });

  it('a recovery code signs in once, typed in any case; the second use is 401', async () => {
    const account = await signUp(t, 'mfa-recovery');
    const { recoveryCodes } = await enrolTotp(t, account);
    const usedBefore = await metricValue(t, 'security_events_total{type="mfa_recovery_code_used"}');

    const code = recoveryCodes[3];
    await verifyCode(t, await passwordStep(t, account), code.toUpperCase()).expect(200);
    const second = await verifyCode(t, await passwordStep(t, account), code).expect(401);
    expect(second.body.message).toBe('Invalid or already used code');

    expect(await metricValue(t, 'security_events_total{type="mfa_recovery_code_used"}')).toBe(
      usedBefore + 1,
    );
    const used = await collection(t, 'audit_events').findOne({
      type: 'mfa_recovery_code_used',
      'target.userId': account.id,
    });
    expect(used?.details).toEqual({ remaining: 9 });
  });

  it('of two concurrent sign-ins with one code, only one wins', async () => {
    const account = await signUp(t, 'mfa-race');
    const { secret, recoveryCodes } = await enrolTotp(t, account);
    // One after another: sign-ins in flight at once each hold a lockout slot, and this test's
    // threshold (3) is below four.
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push(await passwordStep(t, account));
    const code = totpCode(secret, 30);
    const totpRace = await Promise.all(
      tokens.slice(0, 2).map((token) => verifyCode(t, token, code)),
    );
    expect(totpRace.map((res) => res.status).sort()).toEqual([200, 401]);
    const recoveryRace = await Promise.all(
      tokens.slice(2).map((token) => verifyCode(t, token, recoveryCodes[0])),
    );
    expect(recoveryRace.map((res) => res.status).sort()).toEqual([200, 401]);
  });

  it('wrong codes lock the account out after the threshold, even for the right code next', async () => {
    const account = await signUp(t, 'mfa-lockout');
    const { secret } = await enrolTotp(t, account);
    const mfaToken = await passwordStep(t, account);
    for (const wrong of ['000000', '111111', 'aaaa-bbbb-cccc-dddd']) {
      await verifyCode(t, mfaToken, wrong).expect(401);
    }
    const locked = await verifyCode(t, mfaToken, totpCode(secret)).expect(429);
    expect(locked.body.message).toMatch(/Too many failed sign-ins for this account/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // A right password does not reset what the wrong codes counted.
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(429);
    expect(
      await collection(t, 'audit_events').countDocuments({
        type: 'account_locked',
        'target.userId': account.id,
      }),
    ).toBe(1);
  });

  it('removal needs the password and a code; afterwards the password alone signs in', async () => {
    const account = await signUp(t, 'mfa-disable');
    const { secret } = await enrolTotp(t, account);

    await disable(account, { password: account.password }).expect(400);
    await disable(account, { code: totpCode(secret) }).expect(400);
    const wrongPassword = await disable(account, {
      password: OTHER_STRONG_PASSWORD,
      code: totpCode(secret),
    }).expect(400);
    expect(wrongPassword.body.message).toMatch(/password is not your current password/);
    const wrongCode = await disable(account, { password: account.password, code: '123456' });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.message).toMatch(/code is not/);

    await clearOfStepEdge();
    await disable(account, { password: account.password, code: totpCode(secret) }).expect(204);
    await disable(account, { password: account.password, code: totpCode(secret) }).expect(404);

    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(await collection(t, 'mfa_totp_factors').countDocuments({ userId: account.id })).toBe(0);
  });

  it('rejects malformed codes and tokens with a 400 or 401, never a 500', async () => {
    await verifyCode(t, 'x'.repeat(40), '123456').expect(401);
    await t
      .http()
      .post('/api/v1/auth/mfa/verify')
      .send({ mfaToken: 'x'.repeat(40) })
      .expect(400);
    await verifyCode(t, 'x'.repeat(40), '12<script>').expect(400);
    const account = await signUp(t, 'mfa-shape');
    await enrolTotp(t, account);
    await verifyCode(t, await passwordStep(t, account), '12345678').expect(401);
  });
});

describe('MFA_REQUIRED_ROLES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, MFA_REQUIRED_ROLES: 'admin,auditor' } });
  });
  afterAll(() => t.close());

  const adminLogin = () =>
    t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_ENV.ADMIN_EMAIL, password: ADMIN_ENV.ADMIN_PASSWORD })
      .expect(200);

  it('a user outside those roles signs in with the password alone', async () => {
    await signUp(t, 'plain-user');
  });

  it('an admin without a factor must enrol at sign-in, and the enrolment token does nothing else', async () => {
    const challenge = await adminLogin();
    expect(challenge.body).toEqual({
      mfaEnrolmentRequired: true,
      mfaToken: expect.any(String),
      expiresIn: 300,
    });
    const { mfaToken } = challenge.body as { mfaToken: string };
    await t.http().get('/api/v1/users').set('Authorization', bearer(mfaToken)).expect(401);
    await t
      .http()
      .post('/api/v1/users/me/mfa/totp')
      .set('Authorization', bearer(mfaToken))
      .expect(401);
    await verifyCode(t, mfaToken, '123456').expect(401);

    const enrolment = await t.http().post('/api/v1/auth/mfa/totp').send({ mfaToken }).expect(201);
    const secret = enrolment.body.secret as string;
    await clearOfStepEdge();
    const done = await t
      .http()
      .post('/api/v1/auth/mfa/totp/confirm')
      .send({ mfaToken, code: totpCode(secret, -30) })
      .expect(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    await t
      .http()
      .get('/api/v1/users')
      .set('Authorization', bearer(done.body.accessToken))
      .expect(200);

    const adminId = (
      await t.http().get('/api/v1/users/me').set('Authorization', bearer(done.body.accessToken))
    ).body.id as string;
    const enrolmentEvents = await collection(t, 'audit_events')
      .find({ 'target.userId': adminId, type: /^mfa_/ })
      .toArray();
    expect(enrolmentEvents.map((event) => [event.type, event.details?.duringSignIn])).toEqual([
      ['mfa_enrolled', true],
      ['mfa_confirmed', true],
    ]);

    // From now on the admin has a factor: the usual second step.
    const next = await adminLogin();
    expect(next.body.mfaRequired).toBe(true);
    const admin = await verifyCode(t, next.body.mfaToken, totpCode(secret)).expect(200);

    // Erasing a user erases their factor and the memory of their spent codes.
    const user = await signUp(t, 'mfa-erased');
    const { recoveryCodes } = await enrolTotp(t, user);
    await verifyCode(t, await passwordStep(t, user), recoveryCodes[0]).expect(200);
    await t
      .http()
      .delete(`/api/v1/users/${user.id}`)
      .set('Authorization', bearer(admin.body.accessToken))
      .expect(204);
    for (const name of ['mfa_totp_factors', 'mfa_spent_codes']) {
      expect(await collection(t, name).countDocuments({ userId: user.id })).toBe(0);
    }
    await t
      .http()
      .post('/api/v1/auth/mfa/totp/confirm')
      .send({ mfaToken, code: totpCode(secret, 30) })
      .expect(409);
  });
});
