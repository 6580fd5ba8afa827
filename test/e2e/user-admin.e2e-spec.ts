import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  login,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../support/accounts';
import { UserSearchKeysMigration } from '@strongroom/users';
import { createTestApp, type TestApp } from '../support/test-app';

describe('admin user management', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
  });
  afterAll(() => t.close());

  const me = (account: Account) =>
    t.http().get('/api/v1/users/me').set('Authorization', account.bearer);

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD at start-up', async () => {
    const res = await me(admin).expect(200);
    expect(res.body.role).toBe('admin');
    expect(
      await collection(t, 'audit_events').countDocuments({
        type: 'user_created',
        'target.userId': admin.id,
      }),
    ).toBe(1);
  });

  describe('who may', () => {
    it.each(['user', 'auditor'] as const)('a %s gets 403 on every admin route', async (role) => {
      const caller = await createWithRole(t, admin, role);
      const auth = { Authorization: caller.bearer };
      await t.http().get('/api/v1/users').set(auth).expect(403);
      await t
        .http()
        .post('/api/v1/users')
        .set(auth)
        .send({ email: uniqueEmail(), password: STRONG_PASSWORD })
        .expect(403);
      await t
        .http()
        .patch(`/api/v1/users/${caller.id}`)
        .set(auth)
        .send({ role: 'admin' })
        .expect(403);
      await t.http().delete(`/api/v1/users/${admin.id}`).set(auth).expect(403);
      expect((await me(caller).expect(200)).body.role).toBe(role);
    });

    it('an anonymous caller gets 401', async () => {
      await t.http().get('/api/v1/users').expect(401);
    });
  });

  describe('GET /api/v1/users', () => {
    it('pages and searches', async () => {
      const marker = `needle${Date.now()}`;
      for (let i = 0; i < 3; i++) {
        await t
          .http()
          .post('/api/v1/users')
          .set('Authorization', admin.bearer)
          .send({
            email: `${marker}-${i}@example.com`,
            password: STRONG_PASSWORD,
            displayName: `Needle ${i}`,
          })
          .expect(201);
      }
      const page1 = await t
        .http()
        .get(`/api/v1/users?q=${marker}&limit=2&page=1`)
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(page1.body).toMatchObject({ page: 1, limit: 2, total: 3 });
      expect(page1.body.items).toHaveLength(2);
      const page2 = await t
        .http()
        .get(`/api/v1/users?q=${marker}&limit=2&page=2`)
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(page2.body.items).toHaveLength(1);
      expect(JSON.stringify(page1.body)).not.toMatch(/passwordHash|tokenVersion/);
      const regexProbe = await t
        .http()
        .get('/api/v1/users?q=.*')
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(regexProbe.body.total).toBe(0);
    });

    it('finds an account by the start of a word of its email or display name, any case', async () => {
      const marker = `kw${Date.now()}`;
      const create = (email: string, displayName: string) =>
        t
          .http()
          .post('/api/v1/users')
          .set('Authorization', admin.bearer)
          .send({ email, password: STRONG_PASSWORD, displayName })
          .expect(201);
      const smith = (await create(`${marker}.smith@example.com`, 'Harriet Quillfeather')).body;
      const jones = (await create(`jones-${marker}@example.com`, `Arthur ${marker}`)).body;
      const search = async (q: string) => {
        const res = await t
          .http()
          .get('/api/v1/users')
          .query({ q, limit: 100 })
          .set('Authorization', admin.bearer)
          .expect(200);
        return { total: res.body.total, ids: res.body.items.map((u: { id: string }) => u.id) };
      };
      expect(await search(marker)).toEqual({ total: 2, ids: [smith.id, jones.id] });
      expect(await search(`${marker.toUpperCase()}.SMI`)).toEqual({ total: 1, ids: [smith.id] });
      expect(await search(`jones-${marker}@exa`)).toEqual({ total: 1, ids: [jones.id] });
      expect(await search('quillfeather')).toEqual({ total: 1, ids: [smith.id] });
      expect(await search('harriet quill')).toEqual({ total: 1, ids: [smith.id] });
      // A prefix of a word, not any substring: that is what an index can serve.
      expect(await search('illfeather')).toEqual({ total: 0, ids: [] });
    });

    it('finds accounts stored before the search keys once the start-up backfill ran', async () => {
      const email = uniqueEmail('legacy-search');
      await collection(t, 'users').insertOne({
        email,
        displayName: 'Ottoline Legacy',
        passwordHash: 'not-a-hash',
        role: 'user',
        disabled: false,
        tokenVersion: 0,
        quota: null,
        storageUsed: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      const total = async () =>
        (
          await t
            .http()
            .get('/api/v1/users')
            .query({ q: 'ottoline' })
            .set('Authorization', admin.bearer)
            .expect(200)
        ).body.total;
      expect(await total()).toBe(0);
      await t.app.get(UserSearchKeysMigration).run();
      expect(await total()).toBe(1);
    });

    it.each(['limit=0', 'limit=101', 'page=0', 'page=abc', 'q[$ne]=x', 'extra=1'])(
      'rejects %s with 400',
      async (query) => {
        await t.http().get(`/api/v1/users?${query}`).set('Authorization', admin.bearer).expect(400);
      },
    );
  });

  describe('POST /api/v1/users', () => {
    it('creates a user with a role; duplicates are 409', async () => {
      const email = uniqueEmail('made');
      const res = await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', admin.bearer)
        .send({ email, password: STRONG_PASSWORD, role: 'auditor' })
        .expect(201);
      expect(res.body).toMatchObject({ email, role: 'auditor', disabled: false });
      await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', admin.bearer)
        .send({ email, password: STRONG_PASSWORD })
        .expect(409);
    });

    it('rejects an unknown role', async () => {
      await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', admin.bearer)
        .send({ email: uniqueEmail(), password: STRONG_PASSWORD, role: 'root' })
        .expect(400);
    });
  });

  describe('PATCH /api/v1/users/:id', () => {
    it('a role change ends the user’s sessions at once', async () => {
      const user = await signUp(t, 'promote');
      const res = await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send({ role: 'auditor' })
        .expect(200);
      expect(res.body.role).toBe('auditor');
      await me(user).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: user.tokens.refreshToken })
        .expect(401);
      const again = await login(t, user.email, STRONG_PASSWORD);
      const fresh = await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${again.accessToken}`)
        .expect(200);
      expect(fresh.body.role).toBe('auditor');
    });

    it('disabling ends sessions and blocks login; enabling lets them back', async () => {
      const user = await signUp(t, 'disable');
      await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send({ disabled: true })
        .expect(200);
      await me(user).expect(401);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: STRONG_PASSWORD })
        .expect(401);
      await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send({ disabled: false })
        .expect(200);
      await login(t, user.email, STRONG_PASSWORD);
      const types = await collection(t, 'audit_events')
        .find({ 'target.userId': user.id, type: { $in: ['user_disabled', 'user_enabled'] } })
        .toArray();
      expect(types.map((event) => event.type).sort()).toEqual(['user_disabled', 'user_enabled']);
    });

    it.each([{ disabled: null }, { role: null }])(
      'refuses %j (400) and stores nothing: only quota may be null',
      async (body) => {
        const user = await signUp(t, 'null-field');
        await t
          .http()
          .patch(`/api/v1/users/${user.id}`)
          .set('Authorization', admin.bearer)
          .send(body)
          .expect(400);
        const stored = await collection(t, 'users').findOne({ email: user.email });
        expect(stored).toMatchObject({ disabled: false, role: 'user' });
      },
    );

    it('sets and clears a quota without ending sessions', async () => {
      const user = await signUp(t, 'quota');
      const set = await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send({ quota: 1048576 })
        .expect(200);
      expect(set.body.quota).toBe(1048576);
      expect((await me(user).expect(200)).body.quota).toBe(1048576);
      const cleared = await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send({ quota: null })
        .expect(200);
      expect(cleared.body.quota).toBeNull();
    });

    it.each<[string, Record<string, unknown>]>([
      ['a negative quota', { quota: -1 }],
      ['a fractional quota', { quota: 1.5 }],
      ['a string for disabled', { disabled: 'yes' }],
      ['an unknown field', { email: 'x@example.com' }],
      ['an operator object', { role: { $ne: 'user' } }],
    ])('rejects %s with 400', async (_case, body) => {
      const user = await signUp(t, 'badpatch');
      await t
        .http()
        .patch(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .send(body)
        .expect(400);
      expect((await me(user).expect(200)).body).toMatchObject({
        role: 'user',
        disabled: false,
        quota: null,
      });
    });

    it.each(['6650f1c2a1b2c3d4e5f60718', 'not-an-id'])(
      'answers 404 for unknown id %s',
      async (id) => {
        await t
          .http()
          .patch(`/api/v1/users/${id}`)
          .set('Authorization', admin.bearer)
          .send({ disabled: true })
          .expect(404);
      },
    );
  });

  describe('DELETE /api/v1/users/:id', () => {
    it('deletes the user, their sessions and failed-login count end, and the event is recorded', async () => {
      const user = await signUp(t, 'delete');
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not the password at all' })
        .expect(401);
      const attemptsOf = () =>
        collection(t, 'login_attempt_slots').countDocuments({ key: `account:${user.email}` });
      expect(await attemptsOf()).toBe(1);
      await t
        .http()
        .delete(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .expect(204);
      await me(user).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: user.tokens.refreshToken })
        .expect(401);
      expect(await collection(t, 'refresh_tokens').countDocuments({ userId: user.id })).toBe(0);
      expect(await attemptsOf()).toBe(0);
      expect(
        await collection(t, 'audit_events').countDocuments({
          type: 'user_deleted',
          'target.userId': user.id,
        }),
      ).toBe(1);
      await t
        .http()
        .delete(`/api/v1/users/${user.id}`)
        .set('Authorization', admin.bearer)
        .expect(404);
    });
  });
});

describe('the last admin', () => {
  let t: TestApp;
  let admin: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
  });
  afterAll(() => t.close());

  it('cannot be demoted, disabled or deleted; with a second admin it can', async () => {
    const url = `/api/v1/users/${admin.id}`;
    for (const body of [{ role: 'user' }, { disabled: true }]) {
      const res = await t
        .http()
        .patch(url)
        .set('Authorization', admin.bearer)
        .send(body)
        .expect(409);
      expect(res.body.message).toMatch(/last active admin/);
    }
    await t.http().delete(url).set('Authorization', admin.bearer).expect(409);

    const second = await createWithRole(t, admin, 'admin');
    await t
      .http()
      .patch(url)
      .set('Authorization', second.bearer)
      .send({ role: 'user' })
      .expect(200);
    await t
      .http()
      .patch(`/api/v1/users/${second.id}`)
      .set('Authorization', second.bearer)
      .send({ disabled: true })
      .expect(409);
  });
});

describe('first admin safety', () => {
  it('never promotes an existing non-admin account that holds ADMIN_EMAIL', async () => {
    const first = await createTestApp({ keepDatabase: true });
    await first
      .http()
      .post('/api/v1/auth/register')
      .send({ email: ADMIN_ENV.ADMIN_EMAIL, password: STRONG_PASSWORD })
      .expect(201);
    const url = first.config.database.url!;
    await first.close();
    await expect(createTestApp({ env: { ...ADMIN_ENV, MONGO_URL: url } })).rejects.toThrow(
      /ADMIN_EMAIL belongs to an existing non-admin/,
    );
  });

  it('refuses a weak ADMIN_PASSWORD at start-up', async () => {
    await expect(
      createTestApp({
        env: { ADMIN_EMAIL: 'weak-admin@example.com', ADMIN_PASSWORD: 'password1234' },
      }),
    ).rejects.toThrow(/ADMIN_PASSWORD: .*too easy to guess/);
  });
});
