import { Types } from 'mongoose';
import { emailSkeleton } from '@strongroom/users';
import {
  collection,
  login,
  OTHER_STRONG_PASSWORD,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../support/accounts';
import { auditEvent } from '../support/audit';
import { createTestApp, type TestApp } from '../support/test-app';

describe('auth: register, login, refresh, logout, me, change password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const users = () => collection(t, 'users');

  describe('POST /api/v1/auth/register', () => {
    it('creates a user and answers without secrets', async () => {
      const email = uniqueEmail('reg');
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({
          email: `  ${email.toUpperCase()} `,
          password: STRONG_PASSWORD,
          displayName: ' Marta ',
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        email,
        displayName: 'Marta',
        role: 'user',
        createdAt: expect.any(String),
      });
      const stored = await users().findOne({ email });
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('refuses a null displayName (400) instead of storing it', async () => {
      const email = uniqueEmail('reg-null');
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: STRONG_PASSWORD, displayName: null })
        .expect(400);
      expect(res.body.message).toEqual(expect.arrayContaining(['displayName must be a string']));
      expect(await users().findOne({ email })).toBeNull();
    });

    it('refuses a duplicate email, whatever its case (409)', async () => {
      const email = uniqueEmail('dup');
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: STRONG_PASSWORD })
        .expect(201);
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: email.toUpperCase(), password: STRONG_PASSWORD })
        .expect(409);
      expect(res.body.message).toBe('An account with this email already exists');
    });

    describe('addresses that look like an existing one', () => {
      const register = (email: string) =>
        t.http().post('/api/v1/auth/register').send({ email, password: STRONG_PASSWORD });
      beforeAll(async () => {
        await register('a@example.com').expect(201);
      });

      it.each([
        ['fullwidth letters', 'ａ@ｅｘａｍｐｌｅ.ｃｏｍ'],
        ['a Cyrillic а', '\u0430@example.com'],
        ['Cyrillic е and Greek ο in the domain', 'a@exampl\u0435.c\u03bfm'],
      ])('refuses %s with the 409 of a duplicate', async (_case, email) => {
        const before = await users().countDocuments();
        const res = await register(email).expect(409);
        expect(res.body.message).toBe('An account with this email already exists');
        expect(await users().countDocuments()).toBe(before);
      });

      it.each([
        ['a zero-width space', 'a\u200b@example.com', 'U+200B'],
        ['a soft hyphen', 'a\u00ad@example.com', 'U+00AD'],
      ])('refuses %s with a 400 that names it', async (_case, email, codePoint) => {
        const before = await users().countDocuments();
        const res = await register(email).expect(400);
        expect(res.body.message).toEqual([
          `email contains invisible or formatting characters (${codePoint}); type the address without them`,
        ]);
        expect(await users().countDocuments()).toBe(before);
      });

      it('signs in with the fullwidth form of the address, normalised the same way', async () => {
        await login(t, 'Ａ@ｅｘａｍｐｌｅ.ｃｏｍ', STRONG_PASSWORD);
      });
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a role field (mass assignment)', { role: 'admin' }, /property role should not exist/],
      ['an unknown field', { isAdmin: true }, /property isAdmin should not exist/],
      ['a malformed email', { email: 'not-an-email' }, /email must be an email address/],
      ['an operator object as email', { email: { $ne: null } }, /email must be an email address/],
      ['a number as password', { password: 123456789012 }, /password must be a string/],
      ['an over-long display name', { displayName: 'x'.repeat(101) }, /displayName must be/],
      ['a weak password', { password: 'password1234' }, /too easy to guess/],
      ['a short password', { password: 'short' }, /12 to 128 characters/],
      ['a password containing the email', { password: 'REPLACED' }, /must not contain your email/],
    ])('rejects %s with 400 and writes nothing', async (_case, override, message) => {
      const email = uniqueEmail('bad');
      const body: Record<string, unknown> = { email, password: STRONG_PASSWORD, ...override };
      if (body.password === 'REPLACED') body.password = `${email.split('@')[0]}-Zebra!`;
      const before = await users().countDocuments();
      const res = await t.http().post('/api/v1/auth/register').send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
      expect(await users().countDocuments()).toBe(before);
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('returns a token pair', async () => {
      const account = await signUp(t, 'login');
      expect(account.tokens).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const stored = await users().findOne({ email: account.email });
      expect(stored?.lastLoginAt).toBeInstanceOf(Date);
    });

    it('answers an unknown email and a wrong password alike (401)', async () => {
      const account = await signUp(t, 'same');
      const wrong = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: OTHER_STRONG_PASSWORD })
        .expect(401);
      const unknown = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: OTHER_STRONG_PASSWORD })
        .expect(401);
      expect(wrong.body.message).toBe('Invalid email or password');
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('rejects the NoSQL operator payload with 400', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: { $ne: null }, password: { $ne: null } })
        .expect(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining(['email must be an email address', 'password must be a string']),
      );
    });

    it('rejects a missing body field with 400', async () => {
      await t.http().post('/api/v1/auth/login').send({ email: uniqueEmail() }).expect(400);
    });
  });

  describe('GET /api/v1/users/me', () => {
    it('shows the caller without the hash or token version', async () => {
      const account = await signUp(t, 'me');
      const res = await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', account.bearer)
        .expect(200);
      expect(res.body).toEqual({
        id: account.id,
        email: account.email,
        role: 'user',
        disabled: false,
        storageUsed: 0,
        quota: null,
        createdAt: expect.any(String),
        lastLoginAt: expect.any(String),
      });
    });

    it('reads the defaults of fields an account stored before they existed lacks', async () => {
      const account = await signUp(t, 'me-old');
      await collection(t, 'users').updateOne(
        { _id: new Types.ObjectId(account.id) },
        { $unset: { quota: '', storageUsed: '', displayName: '' } },
      );
      const res = await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', account.bearer)
        .expect(200);
      expect(res.body).toMatchObject({ id: account.id, storageUsed: 0, quota: null });
      expect(res.body).not.toHaveProperty('passwordHash');
    });

    it('needs a token (401), and never reads one from the URL', async () => {
      const account = await signUp(t, 'url');
      const missing = await t.http().get('/api/v1/users/me').expect(401);
      expect(missing.body.message).toMatch(/Authorization: Bearer/);
      await t.http().get(`/api/v1/users/me?access_token=${account.tokens.accessToken}`).expect(401);
    });
  });

  describe('refresh rotation', () => {
    it('issues a new pair and retires the old refresh token', async () => {
      const account = await signUp(t, 'rotate');
      const res = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(200);
      expect(res.body.refreshToken).not.toBe(account.tokens.refreshToken);
      await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${res.body.accessToken}`)
        .expect(200);
    });

    it('a reused refresh token revokes its whole family and is recorded', async () => {
      const account = await signUp(t, 'reuse');
      const first = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(200);
      const reuse = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(401);
      expect(reuse.body.message).toMatch(/sign in again/);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: first.body.refreshToken })
        .expect(401);
      const event = await collection(t, 'audit_events').findOne({
        type: 'refresh_token_reused',
        'target.userId': account.id,
      });
      expect(event).toMatchObject({
        requestId: expect.any(String),
        actor: { ip: expect.any(String) },
        outcome: 'failure',
      });
    });

    it('a refresh token is not an access token, and an access token is not a refresh token', async () => {
      const account = await signUp(t, 'kinds');
      await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${account.tokens.refreshToken}`)
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.tokens.accessToken })
        .expect(400);
    });

    it('rejects unknown and malformed refresh tokens', async () => {
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'A'.repeat(43) })
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: { $ne: null } })
        .expect(400);
      await t.http().post('/api/v1/auth/refresh').send({}).expect(401);
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('ends the session: its refresh token stops working', async () => {
      const account = await signUp(t, 'logout');
      await t
        .http()
        .post('/api/v1/auth/logout')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(204);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/logout')
        .send({ refreshToken: account.tokens.refreshToken })
        .expect(204);
    });
  });

  describe('PATCH /api/v1/users/me/password', () => {
    it('changes the password and ends every earlier session', async () => {
      const account = await signUp(t, 'pw');
      const second = await login(t, account.email, STRONG_PASSWORD);
      await t
        .http()
        .patch('/api/v1/users/me/password')
        .set('Authorization', account.bearer)
        .send({ currentPassword: STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD })
        .expect(204);
      await t.http().get('/api/v1/users/me').set('Authorization', account.bearer).expect(401);
      await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${second.accessToken}`)
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: second.refreshToken })
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: STRONG_PASSWORD })
        .expect(401);
      await login(t, account.email, OTHER_STRONG_PASSWORD);
    });

    it('refuses a wrong current password or a weak new one, changing nothing', async () => {
      const account = await signUp(t, 'pwbad');
      const wrong = await t
        .http()
        .patch('/api/v1/users/me/password')
        .set('Authorization', account.bearer)
        .send({ currentPassword: OTHER_STRONG_PASSWORD, newPassword: OTHER_STRONG_PASSWORD })
        .expect(400);
      expect(wrong.body.message).toMatch(/currentPassword/);
      await t
        .http()
        .patch('/api/v1/users/me/password')
        .set('Authorization', account.bearer)
        .send({ currentPassword: STRONG_PASSWORD, newPassword: 'password1234' })
        .expect(400);
      await t.http().get('/api/v1/users/me').set('Authorization', account.bearer).expect(200);
      await login(t, account.email, STRONG_PASSWORD);
    });
  });

  it('records security events and counts them on /metrics', async () => {
    const account = await signUp(t, 'events');
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: OTHER_STRONG_PASSWORD })
      .expect(401);
    // Opened as an auditor reads it: the address is stored sealed.
    const failed = await auditEvent(t, { type: 'login_failed', 'target.userId': account.id });
    expect(failed).toMatchObject({
      requestId: expect.any(String),
      outcome: 'failure',
      details: { email: account.email },
    });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/security_events_total\{type="login_failed"\} [1-9]/);
    expect(metrics.text).toMatch(/security_events_total\{type="login_succeeded"\} [1-9]/);
  });
});

describe('registration modes', () => {
  it('closed registration answers 403', async () => {
    const t = await createTestApp({ env: { REGISTRATION: 'closed' } });
    try {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: uniqueEmail(), password: STRONG_PASSWORD })
        .expect(403);
      expect(res.body.message).toMatch(/Registration is closed/);
    } finally {
      await t.close();
    }
  });

  it('ALLOWED_EMAIL_DOMAINS limits who may register', async () => {
    const t = await createTestApp({
      env: { ALLOWED_EMAIL_DOMAINS: 'corp.example, Partner.example' },
    });
    try {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'ana@corp.example', password: STRONG_PASSWORD })
        .expect(201);
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'bo@partner.example', password: STRONG_PASSWORD })
        .expect(201);
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'eve@evil.example', password: STRONG_PASSWORD })
        .expect(400);
      expect(res.body.message).toMatch(/corp\.example, partner\.example/);
    } finally {
      await t.close();
    }
  });
});

describe('accounts from before lookalike protection', () => {
  it('get their skeletons at start-up, the older of two lookalikes keeps its own, and the unique index is built', async () => {
    const first = await createTestApp({ keepDatabase: true });
    const { url } = first.config.database;
    try {
      // The data an older version left: no skeletons, no index, addresses only NFC-normalised.
      await collection(first, 'users').dropIndex('emailSkeleton_1');
      const legacy = (email: string) => ({
        email,
        passwordHash: 'legacy',
        role: 'user',
        disabled: false,
        tokenVersion: 0,
        quota: null,
        storageUsed: 0,
      });
      await collection(first, 'users').insertMany([
        legacy('mallory@example.com'),
        legacy('m\u0430llory@example.com'),
        legacy('ｗｉｄｅ@example.com'),
      ]);
    } finally {
      await first.close();
    }

    const t = await createTestApp({ env: { MONGO_URL: url } });
    try {
      const stored = await collection(t, 'users')
        .find({}, { projection: { email: 1, emailSkeleton: 1 } })
        .sort({ _id: 1 })
        .toArray();
      const [original, lookalike, wide] = stored;
      expect(original.emailSkeleton).toBe(emailSkeleton('mallory@example.com'));
      expect(lookalike.emailSkeleton).toBe(
        `${original.emailSkeleton} ${lookalike._id.toHexString()}`,
      );
      expect(wide.email).toBe('wide@example.com');
      const indexes = await collection(t, 'users').indexes();
      expect(indexes.find((index) => index.name === 'emailSkeleton_1')?.unique).toBe(true);
      for (const email of ['m\u0430llor\u0443@example.com', 'wide@example.com']) {
        await t
          .http()
          .post('/api/v1/auth/register')
          .send({ email, password: STRONG_PASSWORD })
          .expect(409);
      }
    } finally {
      await t.close();
    }
  });
});
