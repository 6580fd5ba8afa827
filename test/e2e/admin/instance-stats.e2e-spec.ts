import {
  type Account,
  ADMIN_ENV,
  createWithRole,
  firstAdmin,
  signUp,
} from '../../support/accounts';
import { upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

interface Stats {
  users: number;
  files: number;
  bytesStored: number;
  topUsers: { id: string; email: string; storageUsed: number; quota: number | null }[];
  days: number;
  daily: { date: string; uploads: number; bytes: number }[];
}

/** GET /api/v1/admin/stats on the embedded database (FerretDB), the way the admin page reads it. */
describe('instance statistics for admins', () => {
  let t: TestApp;
  let admin: Account;
  let heavy: Account;
  let light: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    heavy = await signUp(t, 'stats-heavy');
    light = await signUp(t, 'stats-light');
    for (const size of [100, 200, 300]) {
      await upload(t, heavy, Buffer.alloc(size, 7), `heavy-${size}.bin`).expect(201);
    }
    const removed = await upload(t, light, Buffer.alloc(400, 1), 'gone.bin').expect(201);
    await upload(t, light, Buffer.alloc(50, 2), 'kept.bin').expect(201);
    await t
      .http()
      .delete(`/api/v1/files/${removed.body.id as string}`)
      .set('Authorization', light.bearer)
      .expect(204);
  });
  afterAll(() => t.close());

  const stats = (caller: Account, query = '') =>
    t.http().get(`/api/v1/admin/stats${query}`).set('Authorization', caller.bearer);

  it('counts accounts, stored files and bytes, and lists the largest accounts first', async () => {
    const body = (await stats(admin).expect(200)).body as Stats;
    expect(body).toMatchObject({ users: 3, files: 4, bytesStored: 650, days: 30 });
    expect(body.topUsers.map(({ email, storageUsed }) => ({ email, storageUsed }))).toEqual([
      { email: heavy.email, storageUsed: 600 },
      { email: light.email, storageUsed: 50 },
    ]);
  });

  it('has one row per UTC day for the last 30 days, today last, uploads since deleted included', async () => {
    const body = (await stats(admin).expect(200)).body as Stats;
    const today = new Date().toISOString().slice(0, 10);
    expect(body.daily).toHaveLength(30);
    expect(body.daily.at(-1)).toEqual({ date: today, uploads: 5, bytes: 1050 });
    expect(body.daily.slice(0, -1).every((day) => day.uploads === 0 && day.bytes === 0)).toBe(true);
    const dates = body.daily.map((day) => day.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(30);
  });

  it('takes another window with days', async () => {
    const body = (await stats(admin, '?days=7').expect(200)).body as Stats;
    expect(body.days).toBe(7);
    expect(body.daily).toHaveLength(7);
  });

  it.each([
    ['0', 'days must be at least 1'],
    ['366', 'days must be at most 365'],
    ['1.5', 'days must be a whole number of days'],
    ['a week', 'days must be a whole number of days'],
  ])('refuses days=%s with a 400 that says why', async (days, message) => {
    const res = await stats(admin, `?days=${encodeURIComponent(days)}`).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining([message]));
  });

  it('is for admins only: 403 for a user and an auditor, 401 without a token', async () => {
    await stats(heavy).expect(403);
    await stats(await createWithRole(t, admin, 'auditor')).expect(403);
    await t.http().get('/api/v1/admin/stats').expect(401);
  });

  it('is in the OpenAPI document with its query and error responses', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/api/v1/admin/stats'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['days']);
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
    expect(doc.components.schemas.InstanceStats.required).toEqual(
      expect.arrayContaining(['users', 'files', 'bytesStored', 'topUsers', 'daily']),
    );
  });
});
