import type { Test } from 'supertest';
import {
  ADMIN_ENV,
  STRONG_PASSWORD,
  collection,
  login,
  signUp,
  uniqueEmail,
} from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { metricValue } from '../../support/metrics';
import {
  authorizeAt,
  finishSso,
  type MockOidcProvider,
  oidcEnv,
  refreshWithCookie,
  ssoSignIn,
  startOidcProvider,
  startSso,
} from '../../support/oidc-provider';
import { createTestApp, type TestApp } from '../../support/test-app';

const WEB_APP = 'http://localhost:8000';
const failedWith = (code: string) => `${WEB_APP}/sign-in?sso_error=${code}`;

describe('OIDC single sign-on against a real provider', () => {
  let provider: MockOidcProvider;
  let t: TestApp;
  let subjects = 0;

  /** A fresh provider subject with these claims (each test its own person). */
  const person = async (claims: Record<string, unknown>) => {
    subjects += 1;
    const sub = `subject-${process.pid}-${subjects}`;
    await provider.setClaims(sub, { email: uniqueEmail('sso'), email_verified: true, ...claims });
    return sub;
  };
  const me = async (refreshCookie: string) => {
    const { accessToken } = await refreshWithCookie(t, refreshCookie);
    const res = await t
      .http()
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    return res.body as { id: string; email: string; role: string; displayName?: string };
  };

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({
      env: oidcEnv(provider, {
        PUBLIC_URL: WEB_APP,
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'strongroom-admins:admin,auditors:auditor',
        OIDC_GROUPS_CLAIM: 'groups',
        OIDC_ACCESS_CLAIM: 'groups',
        OIDC_ACCESS_VALUES: 'staff',
        // Another admin, so the provider may take the admin role away from an SSO account.
        ...ADMIN_ENV,
      }),
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('login redirects to the provider with code flow, PKCE S256, state and nonce, and a Lax attempt cookie', async () => {
    const start = await t.http().get('/api/v1/auth/oidc/login').expect(302);
    const url = new URL(start.headers.location);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'strongroom',
      redirect_uri: `${WEB_APP}/api/v1/auth/oidc/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{32,}$/),
      nonce: expect.stringMatching(/^[\w-]{32,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    const cookie = start.get('Set-Cookie')!.find((line) => line.startsWith('strongroom_oidc='))!;
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth\/oidc/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Max-Age=600/);
  });

  it('a first sign-in creates the account with the role from the claim and ends signed in', async () => {
    const before = await metricValue(t, 'security_events_total{type="sso_login_succeeded"}');
    const email = uniqueEmail('Jit');
    const sub = await person({ email, name: 'Ada Lovelace', groups: ['staff', 'auditors'] });

    const run = await ssoSignIn(t, sub);

    expect(run.location).toBe(`${WEB_APP}/`);
    expect(run.refreshCookie).toBeDefined();
    const account = await me(run.refreshCookie!);
    expect(account).toMatchObject({
      email: email.toLowerCase(),
      role: 'auditor',
      displayName: 'Ada Lovelace',
    });
    await auditEvent(t, { type: 'user_created', 'target.userId': account.id });
    await auditEvent(t, {
      type: 'sso_login_succeeded',
      'target.userId': account.id,
      'details.provisioned': true,
    });
    expect(await metricValue(t, 'security_events_total{type="sso_login_succeeded"}')).toBe(
      before + 1,
    );
    // The account has no password anyone knows.
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email, password: STRONG_PASSWORD })
      .expect(401);
  });

  it('roles follow the claim at every sign-in, on the same account', async () => {
    const sub = await person({ groups: ['staff'] });
    const first = await me((await ssoSignIn(t, sub)).refreshCookie!);
    expect(first.role).toBe('user');

    await provider.setClaims(sub, {
      email: first.email,
      groups: ['auditors', 'staff', 'strongroom-admins'],
    });
    const second = await me((await ssoSignIn(t, sub)).refreshCookie!);
    expect(second).toMatchObject({ id: first.id, role: 'admin' });
    await auditEvent(t, { type: 'role_changed', 'target.userId': first.id });

    await provider.setClaims(sub, { email: first.email, groups: ['staff'] });
    expect((await me((await ssoSignIn(t, sub)).refreshCookie!)).role).toBe('user');
  });

  it('the provider cannot demote the last active admin: that sign-in is refused instead', async () => {
    const sub = await person({ groups: ['staff', 'strongroom-admins'] });
    const admin = await me((await ssoSignIn(t, sub)).refreshCookie!);
    await collection(t, 'users').updateMany(
      { role: 'admin', email: { $ne: admin.email } },
      { $set: { disabled: true } },
    );
    await provider.setClaims(sub, { email: admin.email, groups: ['staff'] });
    expect((await ssoSignIn(t, sub)).location).toBe(failedWith('last_admin'));
    await collection(t, 'users').updateMany({ role: 'admin' }, { $set: { disabled: false } });
  });

  it('is refused without the access claim, and the refusal is audited', async () => {
    const before = await metricValue(t, 'security_events_total{type="sso_login_failed"}');
    const sub = await person({ groups: ['auditors'] });
    const run = await ssoSignIn(t, sub);
    expect(run).toMatchObject({ location: failedWith('access_denied'), refreshCookie: undefined });
    await auditEvent(t, { type: 'sso_login_failed', 'details.reason': 'access_denied' });
    expect(await metricValue(t, 'security_events_total{type="sso_login_failed"}')).toBe(before + 1);
  });

  it('a disabled account is refused', async () => {
    const sub = await person({ groups: ['staff'] });
    const account = await me((await ssoSignIn(t, sub)).refreshCookie!);
    await collection(t, 'users').updateOne({ email: account.email }, { $set: { disabled: true } });
    expect((await ssoSignIn(t, sub)).location).toBe(failedWith('account_disabled'));
  });

  it('never links an existing account by email; the signed-in owner links it after their password', async () => {
    const owner = await signUp(t, 'has-password');
    const sub = await person({ email: owner.email, groups: ['staff'] });

    expect((await ssoSignIn(t, sub)).location).toBe(failedWith('email_in_use'));
    const homoglyph = await person({ email: owner.email.replace('a', 'а'), groups: ['staff'] });
    expect((await ssoSignIn(t, homoglyph)).location).toBe(failedWith('email_in_use'));

    await t
      .http()
      .post('/api/v1/users/me/identities/oidc')
      .set('Authorization', owner.bearer)
      .send({ password: 'not the password at all' })
      .expect(400);
    const started = await t
      .http()
      .post('/api/v1/users/me/identities/oidc')
      .set('Authorization', owner.bearer)
      .send({ password: owner.password })
      .expect(200);
    const attemptCookie = started
      .get('Set-Cookie')!
      .find((line) => line.startsWith('strongroom_oidc='))!
      .split(';')[0];
    const linked = await ssoSignIn(t, sub, {
      started: { authorizationUrl: started.body.authorizationUrl as string, attemptCookie },
    });
    expect(linked).toMatchObject({ location: `${WEB_APP}/?sso=linked`, refreshCookie: undefined });
    await auditEvent(t, { type: 'sso_identity_linked', 'target.userId': owner.id });

    const signedIn = await me((await ssoSignIn(t, sub)).refreshCookie!);
    expect(signedIn).toMatchObject({ id: owner.id, email: owner.email });
    const exported = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', owner.bearer)
      .expect(200);
    expect(exported.body.linkedIdentities).toEqual([
      {
        id: expect.any(String),
        issuer: provider.issuer,
        subject: sub,
        email: owner.email,
        lastSignInAt: expect.any(String),
        createdAt: expect.any(String),
      },
    ]);
    // The password still works for the owner.
    await login(t, owner.email, owner.password);
  });

  it('wrong passwords at the link route count toward the sign-in lockout', async () => {
    const account = await signUp(t, 'link-guess');
    const link = (password: string) =>
      t
        .http()
        .post('/api/v1/users/me/identities/oidc')
        .set('Authorization', account.bearer)
        .send({ password });
    for (let attempt = 0; attempt < 5; attempt += 1)
      await link('a wrong guess each time').expect(400);
    await link(account.password).expect(429);
    await auditEvent(t, {
      type: 'sso_login_failed',
      'target.userId': account.id,
      'details.reason': 'wrong_password',
    });
  });

  it('an identity linked to one account cannot be linked to another', async () => {
    const sub = await person({ groups: ['staff'] });
    await ssoSignIn(t, sub);
    const other = await signUp(t, 'second-link');
    const started = await t
      .http()
      .post('/api/v1/users/me/identities/oidc')
      .set('Authorization', other.bearer)
      .send({ password: other.password })
      .expect(200);
    const attemptCookie = started
      .get('Set-Cookie')!
      .find((line) => line.startsWith('strongroom_oidc='))!
      .split(';')[0];
    const run = await ssoSignIn(t, sub, {
      started: { authorizationUrl: started.body.authorizationUrl as string, attemptCookie },
    });
    expect(run.location).toBe(failedWith('identity_in_use'));
  });

  it("an account's deletion takes its link along: the identity starts afresh", async () => {
    const sub = await person({ groups: ['staff'] });
    const first = await me((await ssoSignIn(t, sub)).refreshCookie!);
    const admin = await login(t, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
    await t
      .http()
      .delete(`/api/v1/users/${first.id}`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(204);
    expect(await collection(t, 'oidc_identities').countDocuments({ subject: sub })).toBe(0);
    const again = await me((await ssoSignIn(t, sub)).refreshCookie!);
    expect(again.id).not.toBe(first.id);
  });

  it('groups bound to a claim value follow the groups claim at every sign-in; others stay as admins made them', async () => {
    const admin = await login(t, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
    const asAdmin = (request: Test) => request.set('Authorization', `Bearer ${admin.accessToken}`);
    const createGroup = async (body: object) =>
      (await asAdmin(t.http().post('/api/v1/groups')).send(body).expect(201)).body as {
        id: string;
        idpGroup: string | null;
      };
    const legal = await createGroup({ name: `Legal ${subjects}`, idpGroup: 'legal' });
    const byHand = await createGroup({ name: `Hand-made ${subjects}` });
    expect(legal.idpGroup).toBe('legal');
    expect(byHand.idpGroup).toBeNull();
    const memberIds = async (groupId: string) =>
      (
        (await asAdmin(t.http().get(`/api/v1/groups/${groupId}/members`)).expect(200))
          .body as Array<{ userId: string }>
      ).map((member) => member.userId);

    const sub = await person({ groups: ['staff', 'legal'] });
    const account = await me((await ssoSignIn(t, sub)).refreshCookie!);
    expect(await memberIds(legal.id)).toEqual([account.id]);
    await auditEvent(t, {
      type: 'group_member_added',
      'target.userId': account.id,
      'details.groupId': legal.id,
      'details.source': 'identity_provider',
    });
    // Members of a bound group are the provider's to decide, not an admin's.
    const refused = await asAdmin(
      t.http().delete(`/api/v1/groups/${legal.id}/members/${account.id}`),
    ).expect(409);
    expect(refused.body.message).toMatch(/identity provider/);
    await asAdmin(t.http().post(`/api/v1/groups/${legal.id}/members`))
      .send({ email: ADMIN_ENV.ADMIN_EMAIL })
      .expect(409);
    await asAdmin(t.http().post(`/api/v1/groups/${byHand.id}/members`))
      .send({ email: account.email })
      .expect(201);

    await provider.setClaims(sub, { email: account.email, groups: ['staff'] });
    await ssoSignIn(t, sub);
    expect(await memberIds(legal.id)).toEqual([]);
    expect(await memberIds(byHand.id)).toEqual([account.id]);
    await auditEvent(t, {
      type: 'group_member_removed',
      'target.userId': account.id,
      'details.source': 'identity_provider',
    });

    // Unbound, the group is the admins' again.
    await asAdmin(t.http().patch(`/api/v1/groups/${legal.id}`))
      .send({ idpGroup: null })
      .expect(200);
    await asAdmin(t.http().post(`/api/v1/groups/${legal.id}/members`))
      .send({ email: account.email })
      .expect(201);
  });

  it('both routes are in the API document as redirects', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/auth/oidc/login'].get.responses['302']).toBeDefined();
    expect(doc.body.paths['/api/v1/auth/oidc/callback'].get.responses['302']).toBeDefined();
    expect(doc.body.paths['/api/v1/users/me/identities/oidc'].post.responses['200']).toBeDefined();
  });

  describe('refusals, each a redirect with a reason and never a 500', () => {
    it('a callback without the attempt cookie (another browser) or with an unknown one', async () => {
      const sub = await person({ groups: ['staff'] });
      const started = await startSso(t);
      const callback = await authorizeAt(started.authorizationUrl, sub);
      const path = `${callback.pathname}${callback.search}`;
      const bare = await t.http().get(path).expect(302);
      expect(bare.headers.location).toBe(failedWith('session_expired'));
      expect((await finishSso(t, path, 'strongroom_oidc=forged')).location).toBe(
        failedWith('session_expired'),
      );
    });

    it('a state that is not the one this browser started with', async () => {
      const sub = await person({ groups: ['staff'] });
      const run = await ssoSignIn(t, sub, {
        tamper: (url) => url.searchParams.set('state', 'attacker-chosen-state-value'),
      });
      expect(run.location).toBe(failedWith('invalid_state'));
    });

    it('a replayed callback, and a used code with a fresh attempt', async () => {
      const sub = await person({ groups: ['staff'] });
      const first = await ssoSignIn(t, sub);
      expect(first.refreshCookie).toBeDefined();
      expect((await finishSso(t, first.callbackPath, first.attemptCookie)).location).toBe(
        failedWith('session_expired'),
      );

      const fresh = await startSso(t);
      const usedCode = new URL(first.callbackPath, WEB_APP).searchParams.get('code')!;
      const state = new URL(fresh.authorizationUrl).searchParams.get('state')!;
      const replay = `/api/v1/auth/oidc/callback?${new URLSearchParams({ code: usedCode, state })}`;
      expect((await finishSso(t, replay, fresh.attemptCookie)).location).toBe(
        failedWith('code_rejected'),
      );
    });

    it('an ID token whose nonce is not the one we sent', async () => {
      const sub = await person({ groups: ['staff'] });
      const run = await ssoSignIn(t, sub, {
        tamper: (url) => url.searchParams.set('nonce', 'a-nonce-from-another-sign-in'),
      });
      expect(run.location).toBe(failedWith('invalid_token'));
    });

    it('a code issued to another client', async () => {
      const sub = await person({ groups: ['staff'] });
      const run = await ssoSignIn(t, sub, {
        tamper: (url) => url.searchParams.set('client_id', 'another-client'),
      });
      expect(run.location).toBe(failedWith('code_rejected'));
    });

    it('the provider answering with an error (the person cancelled)', async () => {
      const started = await startSso(t);
      const state = new URL(started.authorizationUrl).searchParams.get('state')!;
      const path = `/api/v1/auth/oidc/callback?${new URLSearchParams({ error: 'access_denied', state })}`;
      expect((await finishSso(t, path, started.attemptCookie)).location).toBe(
        failedWith('provider_refused'),
      );
    });

    it('junk in the query', async () => {
      const started = await startSso(t);
      const path = '/api/v1/auth/oidc/callback?state=a&state=b&code[x]=1';
      expect((await finishSso(t, path, started.attemptCookie)).location).toBe(
        failedWith('invalid_state'),
      );
    });
  });

  it('setup-state tells the web app to show the button', async () => {
    const res = await t.http().get('/api/v1/auth/setup-state').expect(200);
    expect(res.body.sso).toEqual({
      enabled: true,
      displayName: 'Acme Login',
      passwordSignIn: true,
    });
  });

  // Last in this block: it stops the provider.
  it('without OIDC_ONLY, a provider that is down leaves readiness and password sign-in alone', async () => {
    const owner = await signUp(t, 'provider-down');
    await provider.stop();
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.details.identityProvider).toBeUndefined();
    await login(t, owner.email, owner.password);
  });
});

describe('OIDC_ONLY: single sign-on as the only way in', () => {
  let provider: MockOidcProvider;
  let t: TestApp;
  const breakGlass = uniqueEmail('break-glass');

  beforeAll(async () => {
    provider = await startOidcProvider();
    t = await createTestApp({
      env: oidcEnv(provider, {
        PUBLIC_URL: WEB_APP,
        OIDC_ONLY: 'true',
        OIDC_BREAK_GLASS_EMAILS: breakGlass.toUpperCase(),
        ADMIN_EMAIL: breakGlass,
        ADMIN_PASSWORD: 'granite falcon ledger sunrise 9',
      }),
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.stop();
  });

  it('refuses password sign-in and registration for everyone but the break-glass admin', async () => {
    await provider.setClaims('only-sso', { email: uniqueEmail('only-sso') });
    const account = (await ssoSignIn(t, 'only-sso')).refreshCookie;
    expect(account).toBeDefined();

    const refused = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('nobody'), password: STRONG_PASSWORD })
      .expect(403);
    expect(refused.body.message).toBe(
      'Password sign-in is turned off: use "Sign in with Acme Login"',
    );
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail('new'), password: STRONG_PASSWORD })
      .expect(403);

    await login(t, breakGlass, 'granite falcon ledger sunrise 9');
    const state = await t.http().get('/api/v1/auth/setup-state').expect(200);
    expect(state.body.sso).toEqual({
      enabled: true,
      displayName: 'Acme Login',
      passwordSignIn: false,
    });
  });

  it('a provider that is down fails only SSO, clearly, and turns readiness 503', async () => {
    await t.http().get('/health/ready').expect(200);
    await provider.setClaims('goes-down', { email: uniqueEmail('goes-down') });
    const started = await startSso(t);
    const callback = await authorizeAt(started.authorizationUrl, 'goes-down');
    await provider.stop();

    // The code exchange fails, and drops the cached discovery, so the next start asks again.
    const path = `${callback.pathname}${callback.search}`;
    expect((await finishSso(t, path, started.attemptCookie)).location).toBe(
      failedWith('provider_unavailable'),
    );
    const start = await t.http().get('/api/v1/auth/oidc/login').expect(302);
    expect(start.headers.location).toBe(failedWith('provider_unavailable'));
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.details.identityProvider).toEqual({
      status: 'down',
      message: expect.stringContaining('identity provider could not be reached'),
    });
    await login(t, breakGlass, 'granite falcon ledger sunrise 9');
  });
});
