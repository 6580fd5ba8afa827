import mongoose from 'mongoose';
import { createTempDir, RedisServer, type TempDir } from '@strongroom/testing';
import { ADMIN_ENV, firstAdmin, signUp } from '../support/accounts';
import { upload } from '../support/files';
import { createTestApp, type TestApp } from '../support/test-app';

/** The model operations on the users and sessions collections while `run` runs. */
async function accountReads(run: () => Promise<unknown>): Promise<string[]> {
  const ops: string[] = [];
  mongoose.set('debug', (collection: string, method: string) => {
    if (collection === 'users' || collection === 'sessions') ops.push(`${collection}.${method}`);
  });
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
  }
  return ops;
}

describe('the authenticated principal, cached per session (with REDIS_URL)', () => {
  let t: TestApp;
  let workDir: TempDir;
  let redis: RedisServer;
  beforeAll(async () => {
    workDir = await createTempDir('principal-cache');
    redis = await RedisServer.start({ workDir: workDir.path });
    t = await createTestApp({ env: { ...ADMIN_ENV, REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
    await workDir.remove();
  });

  it('reads neither the user nor the session again for the next requests of a session, nor the account GET /users/me answers with', async () => {
    const account = await signUp(t);
    const me = () =>
      t.http().get('/api/v1/users/me').set('Authorization', account.bearer).expect(200);
    const first = await me();
    // The route answers from the account authentication read: no read of its own.
    expect(await accountReads(async () => (await me(), await me()))).toEqual([]);
    expect((await me()).body).toEqual(first.body);
  });

  it('answers GET /users/me with what a write changed at once: a quota an admin set, the bytes an upload stored', async () => {
    const [admin, account] = [await firstAdmin(t), await signUp(t)];
    const me = async () =>
      (await t.http().get('/api/v1/users/me').set('Authorization', account.bearer).expect(200))
        .body as { quota: number | null; storageUsed: number };
    expect(await me()).toMatchObject({ quota: null, storageUsed: 0 });
    await t
      .http()
      .patch(`/api/v1/users/${account.id}`)
      .set('Authorization', admin.bearer)
      .send({ quota: 1_000_000 })
      .expect(200);
    expect(await me()).toMatchObject({ quota: 1_000_000, storageUsed: 0 });
    await upload(t, account, Buffer.alloc(1234)).expect(201);
    expect(await me()).toMatchObject({ quota: 1_000_000, storageUsed: 1234 });
  });

  it('reads them again after the account changed: a role change ends the token at once', async () => {
    const [admin, account] = [await firstAdmin(t), await signUp(t)];
    const auditLog = () =>
      t.http().get('/api/v1/audit-events').set('Authorization', account.bearer);
    expect((await auditLog()).status).toBe(403);
    await t
      .http()
      .patch(`/api/v1/users/${account.id}`)
      .set('Authorization', admin.bearer)
      .send({ role: 'admin' })
      .expect(200);
    const reads = await accountReads(async () => {
      expect((await auditLog()).status).toBe(401);
    });
    expect(reads).toEqual(expect.arrayContaining(['users.findOne', 'sessions.findOne']));
  });
});
