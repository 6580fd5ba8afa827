import jwt from 'jsonwebtoken';
import {
  type Account,
  ADMIN_ENV,
  collection,
  firstAdmin,
  signUp,
  STRONG_PASSWORD,
  type TokenPair,
} from '../../support/accounts';
import { createApiKey } from '../../support/api-keys';
import { auditEvent } from '../../support/audit';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

interface SessionBody {
  id: string;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string;
  device: { label: string; browser: string | null; os: string | null; type: string | null };
  userAgent: string | null;
}

describe('sessions', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
  });
  afterAll(() => t.close());

  /** Signs in again as the account, from a client with this User-Agent. */
  const signIn = async (account: Account, userAgent: string): Promise<TokenPair> => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('User-Agent', userAgent)
      .send({ email: account.email, password: STRONG_PASSWORD })
      .expect(200);
    return res.body as TokenPair;
  };
  const bearer = (tokens: TokenPair) => `Bearer ${tokens.accessToken}`;
  const sessionOf = (tokens: TokenPair) => (jwt.decode(tokens.accessToken) as { sid: string }).sid;
  const listAs = async (tokens: TokenPair) =>
    (
      await t
        .http()
        .get('/api/v1/users/me/sessions')
        .set('Authorization', bearer(tokens))
        .expect(200)
    ).body as SessionBody[];
  const me = (tokens: TokenPair) =>
    t.http().get('/api/v1/users/me').set('Authorization', bearer(tokens));
  const refresh = (tokens: TokenPair) =>
    t.http().post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken });

  it('lists each sign-in with its device, address and times, marking the current one', async () => {
    const alice = await signUp(t, 'sessions');
    const laptop = await signIn(alice, FIREFOX_LINUX);
    const phone = await signIn(alice, SAFARI_IPHONE);

    const sessions = await listAs(laptop);
    const byId = new Map(sessions.map((session) => [session.id, session]));
    expect(sessions).toHaveLength(3); // signUp's own sign-in too
    expect(byId.get(sessionOf(laptop))).toEqual({
      id: sessionOf(laptop),
      current: true,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      ip: expect.stringMatching(/127\.0\.0\.1/),
      device: {
        label: 'Firefox 133 on Linux',
        browser: 'Firefox 133',
        os: 'Linux',
        type: 'desktop',
      },
      userAgent: FIREFOX_LINUX,
    });
    expect(byId.get(sessionOf(phone))).toMatchObject({
      current: false,
      device: { label: 'Safari 17 on iOS', type: 'mobile' },
    });
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
  });

  it('a refresh stays in its session and moves its last use', async () => {
    const bob = await signUp(t, 'refreshing');
    const first = await signIn(bob, FIREFOX_LINUX);
    const [before] = (await listAs(first)).filter((s) => s.id === sessionOf(first));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = (await refresh(first).expect(200)).body as TokenPair;
    expect(sessionOf(next)).toBe(sessionOf(first));
    const [after] = (await listAs(next)).filter((s) => s.id === sessionOf(first));
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    expect(after.createdAt).toBe(before.createdAt);
  });

  it('revoking one ends it at once: its refresh fails and its access token is refused', async () => {
    const carol = await signUp(t, 'revoke-one');
    const laptop = await signIn(carol, FIREFOX_LINUX);
    const phone = await signIn(carol, SAFARI_IPHONE);
    const counted = await metricValue(t, 'security_events_total{type="session_revoked"}');

    await t
      .http()
      .delete(`/api/v1/users/me/sessions/${sessionOf(phone)}`)
      .set('Authorization', bearer(laptop))
      .expect(204);

    const refused = await me(phone).expect(401);
    expect(refused.body.message).toBe('This session has ended; sign in again');
    await refresh(phone).expect(401);
    await me(laptop).expect(200);
    await refresh(laptop).expect(200);
    expect((await listAs(laptop)).map((s) => s.id)).not.toContain(sessionOf(phone));
    await auditEvent(t, {
      type: 'session_revoked',
      'details.sessionId': sessionOf(phone),
      'actor.userId': carol.id,
    });
    expect(await metricValue(t, 'security_events_total{type="session_revoked"}')).toBe(counted + 1);
  });

  it('one user cannot end another’s session (404), nor an unknown one', async () => {
    const dave = await signUp(t, 'owner');
    const eve = await signUp(t, 'intruder');
    for (const id of [sessionOf(dave.tokens), 'not-a-session']) {
      await t
        .http()
        .delete(`/api/v1/users/me/sessions/${id}`)
        .set('Authorization', eve.bearer)
        .expect(404);
    }
    await me(dave.tokens).expect(200);
  });

  it('revoking all ends every session, the caller’s too; keepCurrent=true keeps the caller’s', async () => {
    const frank = await signUp(t, 'revoke-all');
    const a = await signIn(frank, FIREFOX_LINUX);
    const b = await signIn(frank, SAFARI_IPHONE);

    await t
      .http()
      .delete('/api/v1/users/me/sessions?keepCurrent=true')
      .set('Authorization', bearer(a))
      .expect(204);
    await me(a).expect(200);
    await me(b).expect(401);
    await me(frank.tokens).expect(401);
    await refresh(b).expect(401);
    expect((await listAs(a)).map((s) => s.id)).toEqual([sessionOf(a)]);

    await t.http().delete('/api/v1/users/me/sessions').set('Authorization', bearer(a)).expect(204);
    await me(a).expect(401);
    await refresh(a).expect(401);

    await t
      .http()
      .delete('/api/v1/users/me/sessions?keepCurrent=maybe')
      .set('Authorization', bearer(await signIn(frank, FIREFOX_LINUX)))
      .expect(400);
  });

  it('an admin lists and ends all of a user’s sessions; API keys are not sessions', async () => {
    const gina = await signUp(t, 'admin-revoked');
    const other = await signIn(gina, SAFARI_IPHONE);
    const key = await createApiKey(t, gina, ['files:read']);
    const listed = await t
      .http()
      .get(`/api/v1/users/${gina.id}/sessions`)
      .set('Authorization', admin.bearer)
      .expect(200);
    expect((listed.body as SessionBody[]).map((s) => s.id).sort()).toEqual(
      [sessionOf(gina.tokens), sessionOf(other)].sort(),
    );

    await t
      .http()
      .delete(`/api/v1/users/${gina.id}/sessions`)
      .set('Authorization', admin.bearer)
      .expect(204);

    await me(gina.tokens).expect(401);
    await me(other).expect(401);
    await refresh(other).expect(401);
    await t.http().get('/api/v1/files').set('Authorization', key.bearer).expect(200);
    await auditEvent(t, {
      type: 'session_revoked',
      'actor.userId': admin.id,
      'target.userId': gina.id,
      'details.sessions': 2,
    });
    await t
      .http()
      .delete(`/api/v1/users/${gina.id}/sessions`)
      .set('Authorization', bearer(await signIn(gina, FIREFOX_LINUX)))
      .expect(403);
    await t
      .http()
      .delete('/api/v1/users/0123456789abcdef01234567/sessions')
      .set('Authorization', admin.bearer)
      .expect(404);
  });

  it('logout ends the session’s access token too; a reused refresh token ends its session', async () => {
    const henry = await signUp(t, 'logout');
    const a = await signIn(henry, FIREFOX_LINUX);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: a.refreshToken }).expect(204);
    await me(a).expect(401);

    const b = await signIn(henry, FIREFOX_LINUX);
    const rotated = (await refresh(b).expect(200)).body as TokenPair;
    await refresh(b).expect(401); // replayed: the family is revoked
    await me(rotated).expect(401);
    await me(henry.tokens).expect(200);
  });

  it('a password change ends every session, and the list no longer shows them', async () => {
    const ivy = await signUp(t, 'password');
    const other = await signIn(ivy, SAFARI_IPHONE);
    await t
      .http()
      .patch('/api/v1/users/me/password')
      .set('Authorization', ivy.bearer)
      .send({ currentPassword: STRONG_PASSWORD, newPassword: 'quiet meadow rocket 1234' })
      .expect(204);
    await me(other).expect(401);
    const fresh = (
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: ivy.email, password: 'quiet meadow rocket 1234' })
        .expect(200)
    ).body as TokenPair;
    expect((await listAs(fresh)).map((s) => s.id)).toEqual([sessionOf(fresh)]);
  });

  it('a refresh that raced the revocation cannot bring the session back', async () => {
    const lee = await signUp(t, 'race');
    const session = await signIn(lee, FIREFOX_LINUX);
    // As if the revocation landed between the refresh token's rotation and the session's update.
    await collection(t, 'sessions').updateOne(
      { _id: sessionOf(session) as never },
      { $set: { revokedAt: new Date() } },
    );
    await refresh(session).expect(401);
    await me(session).expect(401);
    expect(await collection(t, 'sessions').countDocuments({ userId: lee.id })).toBe(2);
  });

  it('a refresh family from before sessions were recorded gets its session at its next refresh', async () => {
    const max = await signUp(t, 'legacy');
    const old = await signIn(max, FIREFOX_LINUX);
    await collection(t, 'sessions').deleteOne({ _id: sessionOf(old) as never });
    await me(old).expect(401);
    const next = (await refresh(old).expect(200)).body as TokenPair;
    expect(sessionOf(next)).toBe(sessionOf(old));
    await me(next).expect(200);
    expect((await listAs(next)).map((s) => s.id)).toContain(sessionOf(old));
  });

  it('refuses a correctly signed access token without a live session', async () => {
    const jack = await signUp(t, 'forged-sid');
    const claims = jwt.decode(jack.tokens.accessToken) as Record<string, unknown>;
    const { exp: _exp, iat: _iat, jti: _jti, ...rest } = claims;
    const sign = (payload: Record<string, unknown>) =>
      jwt.sign(payload, t.config.auth.secretKey, { algorithm: 'HS256', expiresIn: 60 });
    const { sid: _sid, ...withoutSid } = rest;
    await me({ ...jack.tokens, accessToken: sign(withoutSid) }).expect(401);
    await me({ ...jack.tokens, accessToken: sign({ ...rest, sid: 'made-up' }) }).expect(401);
    await me({ ...jack.tokens, accessToken: sign(rest) }).expect(200);
  });

  it('the GDPR export lists sessions without token hashes; erasure deletes them', async () => {
    const kim = await signUp(t, 'export');
    const laptop = await signIn(kim, FIREFOX_LINUX);
    const res = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', kim.bearer)
      .expect(200);
    expect(res.body.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: sessionOf(laptop),
          device: expect.objectContaining({ label: 'Firefox 133 on Linux' }),
          userAgent: FIREFOX_LINUX,
        }),
      ]),
    );
    expect(res.body.sessions).toHaveLength(2);
    const hashes = await collection(t, 'refresh_tokens').find({ userId: kim.id }).toArray();
    for (const { tokenHash } of hashes) expect(res.text).not.toContain(tokenHash as string);
    await t.http().delete(`/api/v1/users/${kim.id}`).set('Authorization', admin.bearer).expect(204);
    expect(await collection(t, 'sessions').countDocuments({ userId: kim.id })).toBe(0);
  });
});
