import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  signUp,
  STRONG_PASSWORD,
} from '../../support/accounts';
import { createApiKey } from '../../support/api-keys';
import { auditEvent } from '../../support/audit';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

const DAY_MS = 86_400_000;
const NEW_PASSWORD = 'quiet meadow rocket 1234';

describe('personal API keys', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, API_KEY_MAX_TTL: '90d' } });
    admin = await firstAdmin(t);
  });
  afterAll(() => t.close());

  const keys = (account: Pick<Account, 'bearer'>) =>
    t.http().get('/api/v1/users/me/api-keys').set('Authorization', account.bearer);
  const files = (bearer: string) => t.http().get('/api/v1/files').set('Authorization', bearer);

  describe('creation', () => {
    let alice: Account;
    beforeAll(async () => {
      alice = await signUp(t, 'keys');
    });

    it('answers the key once, then lists it without the secret', async () => {
      const expiresAt = new Date(Date.now() + 10 * DAY_MS).toISOString();
      const res = await t
        .http()
        .post('/api/v1/users/me/api-keys')
        .set('Authorization', alice.bearer)
        .send({ name: '  nightly backup  ', scopes: ['files:read', 'files:write'], expiresAt })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'nightly backup',
        scopes: ['files:read', 'files:write'],
        hint: res.body.key.slice(0, 7),
        expiresAt,
        createdAt: expect.any(String),
        lastUsedAt: null,
        lastUsedIp: null,
        key: expect.stringMatching(/^sr_[0-9A-Za-z]{49}$/),
      });
      const { key, ...shown } = res.body as Record<string, unknown>;
      const listed = await keys(alice).expect(200);
      expect(listed.body).toEqual([shown]);
      expect(JSON.stringify(listed.body)).not.toContain((key as string).slice(7));
      const stored = await collection(t, 'api_keys').findOne({ userId: alice.id });
      expect(JSON.stringify(stored)).not.toContain(key as string);
    });

    it.each([
      ['no expiry', { name: 'k', scopes: ['files:read'] }, 'expiresAt must be an ISO 8601 date'],
      [
        'an expiry in the past',
        { name: 'k', scopes: ['files:read'], expiresAt: new Date(Date.now() - 1000) },
        'expiresAt must be in the future',
      ],
      [
        'an expiry beyond API_KEY_MAX_TTL',
        { name: 'k', scopes: ['files:read'], expiresAt: new Date(Date.now() + 91 * DAY_MS) },
        'expiresAt may be at most 90 days away (API_KEY_MAX_TTL)',
      ],
      [
        'an unknown scope',
        { name: 'k', scopes: ['files:admin'], expiresAt: new Date(Date.now() + DAY_MS) },
        'each scope must be one of files:read, files:write, shares:write, links:write, audit:read, webhooks:write',
      ],
      [
        'no scope',
        { name: 'k', scopes: [], expiresAt: new Date(Date.now() + DAY_MS) },
        'scopes must name at least one scope',
      ],
      [
        'a blank name',
        { name: '  ', scopes: ['files:read'], expiresAt: new Date(Date.now() + DAY_MS) },
        'name must not be empty',
      ],
    ])('refuses %s (400, saying what to fix)', async (_case, body, message) => {
      const res = await t
        .http()
        .post('/api/v1/users/me/api-keys')
        .set('Authorization', alice.bearer)
        .send(body)
        .expect(400);
      expect([res.body.message].flat()).toContain(message);
    });

    it('records creation and revocation in the audit chain and the security-events metric', async () => {
      const series = (type: string) => `security_events_total{type="${type}"}`;
      const [created, revoked] = await Promise.all([
        metricValue(t, series('api_key_created')),
        metricValue(t, series('api_key_revoked')),
      ]);
      const key = await createApiKey(t, alice, ['files:read']);
      await auditEvent(t, { type: 'api_key_created', 'details.keyId': key.id });
      await t
        .http()
        .delete(`/api/v1/users/me/api-keys/${key.id}`)
        .set('Authorization', alice.bearer)
        .expect(204);
      const event = await auditEvent(t, { type: 'api_key_revoked', 'details.keyId': key.id });
      expect(event).toMatchObject({ actor: { userId: alice.id }, target: { userId: alice.id } });
      expect(await metricValue(t, series('api_key_created'))).toBe(created + 1);
      expect(await metricValue(t, series('api_key_revoked'))).toBe(revoked + 1);
    });
  });

  describe('refusals (401)', () => {
    let bob: Account;
    beforeAll(async () => {
      bob = await signUp(t, 'refused');
    });

    it('a mistyped key fails its checksum', async () => {
      const { key } = await createApiKey(t, bob, ['files:read']);
      const typo = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
      const res = await files(`Bearer ${typo}`).expect(401);
      expect(res.body.message).toBe(
        'Invalid API key: it is mistyped or truncated (its checksum does not match)',
      );
      await files(`Bearer ${key.slice(0, -1)}`).expect(401);
    });

    it('a revoked key', async () => {
      const key = await createApiKey(t, bob, ['files:read']);
      await files(key.bearer).expect(200);
      await t
        .http()
        .delete(`/api/v1/users/me/api-keys/${key.id}`)
        .set('Authorization', bob.bearer)
        .expect(204);
      const res = await files(key.bearer).expect(401);
      expect(res.body.message).toBe('Unknown or revoked API key');
    });

    it('an expired key', async () => {
      const key = await createApiKey(t, bob, ['files:read']);
      await files(key.bearer).expect(200);
      const expiresAt = new Date(Date.now() - 1000);
      await collection(t, 'api_keys').updateOne(
        { hint: key.key.slice(0, 7) },
        { $set: { expiresAt } },
      );
      const res = await files(key.bearer).expect(401);
      expect(res.body.message).toMatch(/^This API key expired at .+; create a new one$/);
    });

    it('a key whose owner is disabled, and again once enabled', async () => {
      const carol = await signUp(t, 'disabled');
      const key = await createApiKey(t, carol, ['files:read']);
      await files(key.bearer).expect(200);
      const patch = (disabled: boolean) =>
        t
          .http()
          .patch(`/api/v1/users/${carol.id}`)
          .set('Authorization', admin.bearer)
          .send({ disabled })
          .expect(200);
      await patch(true);
      await files(key.bearer).expect(401);
      await patch(false);
      await files(key.bearer).expect(200);
    });

    it('a key whose owner was deleted, and the key is erased with the account', async () => {
      const dave = await signUp(t, 'deleted');
      const key = await createApiKey(t, dave, ['files:read']);
      await t
        .http()
        .delete(`/api/v1/users/${dave.id}`)
        .set('Authorization', admin.bearer)
        .expect(204);
      await files(key.bearer).expect(401);
      expect(await collection(t, 'api_keys').countDocuments({ userId: dave.id })).toBe(0);
    });
  });

  it('a key follows its owner’s current role: demoted from admin, admin routes are refused', async () => {
    const boss = await createWithRole(t, admin, 'admin');
    const key = await createApiKey(t, boss, ['audit:read']);
    await t.http().get('/api/v1/audit-events').set('Authorization', key.bearer).expect(200);
    await t
      .http()
      .patch(`/api/v1/users/${boss.id}`)
      .set('Authorization', admin.bearer)
      .send({ role: 'user' })
      .expect(200);
    const res = await t.http().get('/api/v1/audit-events').set('Authorization', key.bearer);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('This needs the admin or auditor role');
  });

  describe('on a password change', () => {
    const changePassword = (account: Account, body: Record<string, unknown>) =>
      t
        .http()
        .patch('/api/v1/users/me/password')
        .set('Authorization', account.bearer)
        .send({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD, ...body })
        .expect(204);

    it('keys survive by default', async () => {
      const erin = await signUp(t, 'keeps');
      const key = await createApiKey(t, erin, ['files:read']);
      await changePassword(erin, {});
      await files(key.bearer).expect(200);
    });

    it('keys die when the owner asks (revokeApiKeys: true)', async () => {
      const frank = await signUp(t, 'revokes');
      const [one, two] = [
        await createApiKey(t, frank, ['files:read']),
        await createApiKey(t, frank, ['files:write']),
      ];
      await changePassword(frank, { revokeApiKeys: true });
      await files(one.bearer).expect(401);
      await t.http().options('/api/v1/uploads').set('Authorization', two.bearer).expect(401);
      await auditEvent(t, {
        type: 'api_key_revoked',
        'details.keyId': two.id,
        'details.reason': 'password_changed',
      });
    });
  });

  it('records the last use (time and address) and the first use as an event', async () => {
    const gina = await signUp(t, 'usage');
    const key = await createApiKey(t, gina, ['files:read']);
    await files(key.bearer).expect(200);
    const [listed] = (await keys(gina).expect(200)).body as Array<Record<string, unknown>>;
    expect(listed.lastUsedIp).toMatch(/127\.0\.0\.1/);
    expect(Date.now() - Date.parse(listed.lastUsedAt as string)).toBeLessThan(60_000);
    await auditEvent(t, { type: 'api_key_first_used', 'details.keyId': key.id });
  });

  describe('admin', () => {
    let henry: Account;
    let keyId: string;
    let bearer: string;
    beforeAll(async () => {
      henry = await signUp(t, 'managed');
      ({ id: keyId, bearer } = await createApiKey(t, henry, ['files:read']));
    });

    it('lists a user’s keys and revokes one, which stops working at once', async () => {
      const listed = await t
        .http()
        .get(`/api/v1/users/${henry.id}/api-keys`)
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(listed.body).toEqual([expect.objectContaining({ id: keyId, scopes: ['files:read'] })]);
      expect(listed.body[0].key).toBeUndefined();
      await t
        .http()
        .delete(`/api/v1/users/${henry.id}/api-keys/${keyId}`)
        .set('Authorization', admin.bearer)
        .expect(204);
      await files(bearer).expect(401);
      await auditEvent(t, {
        type: 'api_key_revoked',
        'details.keyId': keyId,
        'actor.userId': admin.id,
        'target.userId': henry.id,
      });
    });

    it('404 for an unknown user or a key of someone else; 403 for a non-admin', async () => {
      const other = await signUp(t, 'other-owner');
      const theirs = await createApiKey(t, other, ['files:read']);
      await t
        .http()
        .get('/api/v1/users/0123456789abcdef01234567/api-keys')
        .set('Authorization', admin.bearer)
        .expect(404);
      await t
        .http()
        .delete(`/api/v1/users/${henry.id}/api-keys/${theirs.id}`)
        .set('Authorization', admin.bearer)
        .expect(404);
      await t
        .http()
        .get(`/api/v1/users/${other.id}/api-keys`)
        .set('Authorization', henry.bearer)
        .expect(403);
      // A user's own revoke route cannot reach another user's key either.
      await t
        .http()
        .delete(`/api/v1/users/me/api-keys/${theirs.id}`)
        .set('Authorization', henry.bearer)
        .expect(404);
      await files(theirs.bearer).expect(200);
    });
  });

  it('the GDPR export lists the caller’s keys without secrets or hashes', async () => {
    const ivy = await signUp(t, 'export');
    const key = await createApiKey(t, ivy, ['links:write']);
    const res = await t
      .http()
      .get('/api/v1/users/me/export')
      .set('Authorization', ivy.bearer)
      .expect(200);
    expect(res.body.apiKeys).toEqual([
      expect.objectContaining({ id: key.id, scopes: ['links:write'], hint: key.key.slice(0, 7) }),
    ]);
    const stored = await collection(t, 'api_keys').findOne({ userId: ivy.id });
    expect(JSON.stringify(res.body)).not.toContain(stored?.secretHash as string);
    expect(JSON.stringify(res.body)).not.toContain(key.key);
  });
});
