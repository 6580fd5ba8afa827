import type { Browser } from 'playwright-core';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import {
  expectCleanPage,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
  signInThroughForm,
  submitPassword,
  watchPage,
} from '../../support/browser';
import { metricValue } from '../../support/metrics';
import { enrolTotp, passwordStep, totpCode, verifyCode } from '../../support/mfa';
import {
  passkeySecondFactor,
  passkeySignIn,
  registerPasskey,
  registrationOptions,
  secondFactorOptions,
  signInOptions,
  VirtualAuthenticator,
} from '../../support/passkeys';
import { createListeningTestApp, type ListeningTestApp } from '../../support/test-app';
import { ensureWebAppBuilt } from '../../support/web-app';

/**
 * Passkeys with real WebAuthn ceremonies: Chromium's virtual authenticator answers the options
 * our API gives on a page of our own origin (PUBLIC_URL, so the RP id is its host), and the test
 * posts what the browser made back to the API.
 */
describe('passkeys (WebAuthn) with a virtual authenticator', () => {
  let t: ListeningTestApp;
  let browser: Browser;
  const opened: VirtualAuthenticator[] = [];

  beforeAll(async () => {
    ensureWebAppBuilt();
    t = await createListeningTestApp({
      env: { ...ADMIN_ENV, LOGIN_LOCKOUT_THRESHOLD: '3', LOGIN_IP_LOCKOUT_THRESHOLD: '1000' },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const authenticator of opened) await authenticator.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const authenticator = async () => {
    const opening = await VirtualAuthenticator.open(browser, t.baseUrl);
    opened.push(opening);
    return opening;
  };
  const as = (account: Account) => ({ Authorization: account.bearer });
  const listOf = async (account: Account) =>
    (await t.http().get('/api/v1/users/me/passkeys').set(as(account)).expect(200)).body as Array<
      Record<string, unknown>
    >;

  /** A password-less sign-in as far as the browser's answer: the challengeId and the assertion. */
  const assertion = async (device: VirtualAuthenticator) => {
    const { challengeId, options } = await signInOptions(t);
    return { challengeId, credential: await device.get(options) };
  };

  it('registers, lists, renames and removes a passkey; nobody else sees or touches it', async () => {
    const marta = await signUp(t, 'passkey-owner');
    const other = await signUp(t, 'passkey-other');
    const device = await authenticator();

    const { id } = await registerPasskey(t, marta, device, 'Work laptop');
    expect(await listOf(marta)).toEqual([
      {
        id,
        name: 'Work laptop',
        transports: expect.arrayContaining(['internal']),
        deviceType: expect.stringMatching(/^(singleDevice|multiDevice)$/),
        backedUp: expect.any(Boolean),
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);
    await auditEvent(t, { type: 'passkey_registered', 'target.userId': marta.id });
    expect(await listOf(other)).toEqual([]);

    const renamed = await t
      .http()
      .patch(`/api/v1/users/me/passkeys/${id}`)
      .set(as(marta))
      .send({ name: '  Phone ' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id, name: 'Phone' });
    await t
      .http()
      .patch(`/api/v1/users/me/passkeys/${id}`)
      .set(as(other))
      .send({ name: 'Mine now' })
      .expect(404);
    await t
      .http()
      .delete(`/api/v1/users/me/passkeys/${id}`)
      .set(as(other))
      .send({ password: other.password })
      .expect(404);

    const wrong = await t
      .http()
      .delete(`/api/v1/users/me/passkeys/${id}`)
      .set(as(marta))
      .send({ password: 'not the password at all' })
      .expect(400);
    expect(wrong.body.message).toMatch(/password is not your current password/);
    await t
      .http()
      .delete(`/api/v1/users/me/passkeys/${id}`)
      .set(as(marta))
      .send({ password: marta.password })
      .expect(204);
    expect(await listOf(marta)).toEqual([]);
    await auditEvent(t, { type: 'passkey_removed', 'target.userId': marta.id });

    // A removed passkey no longer signs in.
    const attempt = await assertion(device);
    await passkeySignIn(t, attempt.challengeId, attempt.credential).expect(401);
  });

  it('refuses a registration challenge used twice, or one opened for another user', async () => {
    const owner = await signUp(t, 'passkey-reg-replay');
    const other = await signUp(t, 'passkey-reg-other');
    const device = await authenticator();
    const { challengeId, options } = await registrationOptions(t, owner);
    const credential = await device.create(options);

    await t
      .http()
      .post('/api/v1/users/me/passkeys')
      .set(as(other))
      .send({ challengeId, name: 'Stolen', credential })
      .expect(400);
    // The other user's try did not spend the owner's challenge.
    await t
      .http()
      .post('/api/v1/users/me/passkeys')
      .set(as(owner))
      .send({ challengeId, name: 'Laptop', credential })
      .expect(201);
    const replay = await t
      .http()
      .post('/api/v1/users/me/passkeys')
      .set(as(owner))
      .send({ challengeId, name: 'Again', credential })
      .expect(400);
    expect(replay.body.message).toMatch(/challengeId is unknown, expired or already used/);
  });

  it('signs in without a password, in the body or with the refresh cookie', async () => {
    const account = await signUp(t, 'passkey-passwordless');
    const device = await authenticator();
    await registerPasskey(t, account, device);

    const first = await assertion(device);
    const signedIn = await passkeySignIn(t, first.challengeId, first.credential).expect(200);
    expect(signedIn.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
    });
    const me = await t
      .http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${signedIn.body.accessToken}`)
      .expect(200);
    expect(me.body.id).toBe(account.id);
    expect((await listOf(account))[0].lastUsedAt).toEqual(expect.any(String));
    await auditEvent(t, {
      type: 'login_succeeded',
      'actor.userId': account.id,
      'details.method': 'passkey',
    });

    const second = await assertion(device);
    const cookie = await t
      .http()
      .post('/api/v1/auth/passkey/verify')
      .send({ ...second, refreshTokenDelivery: 'cookie' })
      .expect(200);
    expect(cookie.body.refreshToken).toBeUndefined();
    expect(String(cookie.headers['set-cookie'])).toMatch(/strongroom_refresh=.+HttpOnly/);
  });

  it('refuses a replayed challenge, and an assertion made for another challenge', async () => {
    const account = await signUp(t, 'passkey-replay');
    const device = await authenticator();
    await registerPasskey(t, account, device);

    const used = await assertion(device);
    await passkeySignIn(t, used.challengeId, used.credential).expect(200);
    const replayed = await passkeySignIn(t, used.challengeId, used.credential).expect(401);
    expect(replayed.body.message).toMatch(/challengeId is unknown, expired or already used/);

    // An assertion signed over one challenge, sent with another open challenge's id.
    const signedFor = await assertion(device);
    const { challengeId: otherChallenge } = await signInOptions(t);
    const mismatched = await passkeySignIn(t, otherChallenge, signedFor.credential).expect(401);
    expect(mismatched.body.message).toMatch(/challenge/i);
  });

  it('is a second factor after the password, with methods saying so; the mfaToken works once', async () => {
    const account = await signUp(t, 'passkey-second-factor');
    const device = await authenticator();
    await registerPasskey(t, account, device);

    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(200);
    expect(login.body).toMatchObject({ mfaRequired: true, methods: ['passkey'] });
    const mfaToken = login.body.mfaToken as string;

    const { challengeId, options } = await secondFactorOptions(t, mfaToken);
    expect(options.allowCredentials).toEqual([expect.objectContaining({ type: 'public-key' })]);
    const credential = await device.get(options);
    const signedIn = await passkeySecondFactor(t, mfaToken, challengeId, credential).expect(200);
    expect(signedIn.body.accessToken).toEqual(expect.any(String));
    await auditEvent(t, {
      type: 'mfa_verify_succeeded',
      'actor.userId': account.id,
      'details.method': 'passkey',
    });

    const again = await secondFactorOptions(t, mfaToken);
    const spent = await passkeySecondFactor(
      t,
      mfaToken,
      again.challengeId,
      await device.get(again.options),
    ).expect(401);
    expect(spent.body.message).toMatch(/already completed/);
  });

  it('offers every factor an account has, and either one completes the sign-in', async () => {
    const account = await signUp(t, 'passkey-and-totp');
    const device = await authenticator();
    await registerPasskey(t, account, device);
    const { secret } = await enrolTotp(t, account);

    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(200);
    expect(login.body.methods).toEqual(['totp', 'recovery', 'passkey']);
    await verifyCode(t, login.body.mfaToken as string, totpCode(secret)).expect(200);

    const mfaToken = await passwordStep(t, account);
    const { challengeId, options } = await secondFactorOptions(t, mfaToken);
    await passkeySecondFactor(t, mfaToken, challengeId, await device.get(options)).expect(200);
  });

  it("refuses an assertion answering another user's second-factor challenge", async () => {
    const alice = await signUp(t, 'passkey-alice');
    const bob = await signUp(t, 'passkey-bob');
    const aliceDevice = await authenticator();
    const bobDevice = await authenticator();
    await registerPasskey(t, alice, aliceDevice);
    await registerPasskey(t, bob, bobDevice);

    const aliceToken = await passwordStep(t, alice);
    const bobToken = await passwordStep(t, bob);
    const aliceChallenge = await secondFactorOptions(t, aliceToken);
    const bobChallenge = await secondFactorOptions(t, bobToken);

    // Bob answers Alice's challenge with his own passkey and his own mfaToken.
    const bobCredential = await bobDevice.get(bobChallenge.options);
    await passkeySecondFactor(t, bobToken, aliceChallenge.challengeId, bobCredential).expect(401);
    // Alice's passkey with Bob's mfaToken is not his factor.
    const aliceCredential = await aliceDevice.get(aliceChallenge.options);
    const notHis = await passkeySecondFactor(
      t,
      bobToken,
      bobChallenge.challengeId,
      aliceCredential,
    ).expect(401);
    expect(notHis.body.message).toMatch(/challengeId is unknown|not registered for this account/);
  });

  it('refuses a copied passkey whose counter went backwards, and flags it', async () => {
    const account = await signUp(t, 'passkey-clone');
    const device = await authenticator();
    await registerPasskey(t, account, device);
    for (let use = 0; use < 2; use += 1) {
      const attempt = await assertion(device);
      await passkeySignIn(t, attempt.challengeId, attempt.credential).expect(200);
    }
    const [original] = await device.credentials();
    expect(original.signCount).toBeGreaterThan(0);

    const clone = await authenticator();
    await clone.cdp.send('WebAuthn.addCredential', {
      authenticatorId: clone.authenticatorId,
      credential: { ...original, signCount: 0 },
    });
    const flaggedBefore = await metricValue(
      t,
      'security_events_total{type="passkey_counter_regressed"}',
    );
    const copied = await assertion(clone);
    const refused = await passkeySignIn(t, copied.challengeId, copied.credential).expect(401);
    expect(refused.body.message).toMatch(/counter did not advance/);
    const event = await auditEvent(t, {
      type: 'passkey_counter_regressed',
      'target.userId': account.id,
    });
    expect(event.outcome).toBe('failure');
    expect(await metricValue(t, 'security_events_total{type="passkey_counter_regressed"}')).toBe(
      flaggedBefore + 1,
    );

    // The original authenticator, whose counter is ahead, still signs in.
    const genuine = await assertion(device);
    await passkeySignIn(t, genuine.challengeId, genuine.credential).expect(200);
  });

  it('failed passkey sign-ins lock the account out like wrong passwords, even for a good one next', async () => {
    const account = await signUp(t, 'passkey-lockout');
    const device = await authenticator();
    await registerPasskey(t, account, device);
    const spent = await assertion(device);
    await passkeySignIn(t, spent.challengeId, spent.credential).expect(200);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      await passkeySignIn(t, spent.challengeId, spent.credential).expect(401);
    }
    const good = await assertion(device);
    const locked = await passkeySignIn(t, good.challengeId, good.credential).expect(429);
    expect(locked.body.message).toMatch(/Too many failed sign-ins for this account/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    await auditEvent(t, { type: 'account_locked', 'target.userId': account.id });
    // The password step is locked too: it is the same account's lockout.
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password })
      .expect(429);
  });

  it('exports passkeys without their keys; a disabled account cannot use them; erasure deletes them', async () => {
    const admin = await firstAdmin(t);
    const account = await signUp(t, 'passkey-gdpr');
    const device = await authenticator();
    await registerPasskey(t, account, device, 'Security key');

    const exported = await t.http().get('/api/v1/users/me/export').set(as(account)).expect(200);
    const body = JSON.parse(exported.text) as { passkeys: Array<Record<string, unknown>> };
    expect(body.passkeys).toEqual([
      {
        id: expect.any(String),
        name: 'Security key',
        transports: expect.any(Array),
        deviceType: expect.any(String),
        backedUp: expect.any(Boolean),
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);

    // A disabled account's passkey no longer signs in, with the same answer as an unknown one.
    await t
      .http()
      .patch(`/api/v1/users/${account.id}`)
      .set(as(admin))
      .send({ disabled: true })
      .expect(200);
    const disabled = await assertion(device);
    const refused = await passkeySignIn(t, disabled.challengeId, disabled.credential).expect(401);
    expect(refused.body.message).toMatch(/not registered for an account that can sign in/);

    await t.http().delete(`/api/v1/users/${account.id}`).set(as(admin)).expect(204);
    expect(await collection(t, 'passkeys').countDocuments({ userId: account.id })).toBe(0);
  });

  it('answers garbage with a 400 or 401 that says what to fix, never a 500', async () => {
    const account = await signUp(t, 'passkey-garbage');
    const { challengeId } = await registrationOptions(t, account);
    for (const credential of [{}, { id: 5 }, { id: 'x', response: 'y' }, { response: { a: 1 } }]) {
      const registration = await t
        .http()
        .post('/api/v1/users/me/passkeys')
        .set(as(account))
        .send({ challengeId, name: 'Garbage', credential });
      expect(registration.status).toBe(400);
      const signIn = await passkeySignIn(t, (await signInOptions(t)).challengeId, credential);
      expect(signIn.status).toBe(401);
    }
    const malformed = await t
      .http()
      .post('/api/v1/auth/passkey/verify')
      .send({ challengeId: 'short', credential: 'text', extra: true })
      .expect(400);
    expect(malformed.body.message).toEqual(
      expect.arrayContaining(['property extra should not exist', 'credential must be an object']),
    );
    await t
      .http()
      .patch('/api/v1/users/me/passkeys/not-an-id')
      .set(as(account))
      .send({ name: 'x' })
      .expect(404);
    await t
      .http()
      .patch('/api/v1/users/me/passkeys/665f1c2a7e9a4b4d43a3f03c')
      .set(as(account))
      .send({ name: '   ' })
      .expect(400);
  });

  it('the web app section adds, renames and removes a passkey with the browser prompt', async () => {
    const account = await signUp(t, 'passkey-web');
    const device = await authenticator();
    const { page } = device;
    const watch = await watchPage(page, t.baseUrl);
    await signInThroughForm(page, t.baseUrl, account);
    await page.goto(`${t.baseUrl}/settings/security`);
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByText('No passkeys yet.').waitFor();

    await page.getByLabel('Name for the new passkey').fill('Office desktop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').getByText('Added passkey Office desktop.').waitFor();
    expect(await listOf(account)).toEqual([expect.objectContaining({ name: 'Office desktop' })]);

    await page.getByRole('button', { name: 'Rename Office desktop' }).click();
    await page.getByLabel('New name for passkey Office desktop').fill('Home desktop');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Renamed to Home desktop.').waitFor();
    await screenshot(page, 'passkeys-section');

    await page.getByRole('button', { name: 'Remove Home desktop' }).click();
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByRole('alert').getByText('password is not your current password').waitFor();
    await page.getByRole('button', { name: 'Remove Home desktop' }).click();
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByRole('status').getByText('Removed passkey Home desktop.').waitFor();
    expect(await listOf(account)).toEqual([]);

    expect(watch.consoleErrors).toEqual([expect.stringMatching(/400/)]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
    await expect(seriousAccessibilityViolations(page)).resolves.toEqual([]);
  });

  it('the sign-in page signs in with a passkey alone, and offers it as the step after the password', async () => {
    const account = await signUp(t, 'passkey-web-sign-in');
    const { page } = await authenticator();
    const watch = await watchPage(page, t.baseUrl);
    await signInThroughForm(page, t.baseUrl, account);
    await page.goto(`${t.baseUrl}/settings/security`);
    await page.getByLabel('Name for the new passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').getByText('Added passkey Laptop.').waitFor();

    const signOut = async () => {
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    };
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();

    await signOut();
    await submitPassword(page, account);
    await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
    await expectCleanPage(page, watch);
    await screenshot(page, 'sign-in-passkey-step');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
    await expectCleanPage(page, watch);
  });
});
