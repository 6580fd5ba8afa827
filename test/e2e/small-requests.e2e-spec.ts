import Redis from 'ioredis';
import mongoose from 'mongoose';
import { createTempDir, RedisServer, type TempDir } from '@strongroom/testing';
import { type Account, collection, signUp } from '../support/accounts';
import { eventually } from '../support/cli';
import { upload } from '../support/files';
import { createTestApp, type TestApp } from '../support/test-app';

describe('small API answers', () => {
  let t: TestApp;
  let workDir: TempDir;
  let redis: RedisServer;
  let account: Account;
  let file: { id: string; sha256: string };

  beforeAll(async () => {
    workDir = await createTempDir('small-requests');
    redis = await RedisServer.start({ workDir: workDir.path });
    // As deployed with more than one instance: the principal cache needs REDIS_URL.
    t = await createTestApp({ env: { REDIS_URL: redis.url } });
    account = await signUp(t, 'small-requests');
    file = (await upload(t, account, Buffer.from('conditional'), 'c.txt').expect(201)).body as {
      id: string;
      sha256: string;
    };
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await workDir?.remove();
  });

  const get = (path: string) => t.http().get(path).set('Authorization', account.bearer);

  it('JSON carries no ETag; a download keeps its SHA-256 ETag', async () => {
    const me = await get('/api/v1/users/me').expect(200);
    expect(me.headers.etag).toBeUndefined();
    const meta = await get(`/api/v1/files/${file.id}`).expect(200);
    expect(meta.headers.etag).toBeUndefined();
    const content = await get(`/api/v1/files/${file.id}/content`).expect(200);
    expect(content.headers.etag).toBe(`"${file.sha256}"`);
  });

  it('answers the profile and file metadata without building a mongoose Query', async () => {
    await get('/api/v1/users/me').expect(200);
    const exec = jest.spyOn(mongoose.Query.prototype, 'exec');
    try {
      const me = await get('/api/v1/users/me').expect(200);
      const meta = await get(`/api/v1/files/${file.id}`).expect(200);
      expect(exec).not.toHaveBeenCalled();
      expect(me.body).toMatchObject({ id: account.id, email: account.email, role: 'user' });
      expect(me.body).not.toHaveProperty('passwordHash');
      expect(meta.body).toMatchObject({ id: file.id, name: 'c.txt', sha256: file.sha256 });
    } finally {
      exec.mockRestore();
    }
    await get('/api/v1/files/0123456789abcdef01234567').expect(404);
    await get('/api/v1/files/not-an-id').expect(404);
  });

  it("authenticates a session's first request (the principal not yet cached) without a mongoose Query", async () => {
    const fresh = await signUp(t, 'first-request');
    const exec = jest.spyOn(mongoose.Query.prototype, 'exec');
    try {
      const me = await t
        .http()
        .get('/api/v1/users/me')
        .set('Authorization', fresh.bearer)
        .expect(200);
      expect(me.body).toMatchObject({ id: fresh.id, email: fresh.email });
      expect(exec).not.toHaveBeenCalled();
    } finally {
      exec.mockRestore();
    }
  });

  it("records a download without reading the actor's audit key from the database again", async () => {
    const download = async () => {
      const answer = await get(`/api/v1/files/${file.id}/content`).expect(200);
      const requestId = answer.headers['x-request-id'];
      // Recorded after the answer: wait until it is stored (sealed, as stored).
      await eventually(
        () => collection(t, 'audit_events').findOne({ type: 'file_downloaded', requestId }),
        'the download event',
      );
    };
    await download();
    const keyReads: string[] = [];
    mongoose.set('debug', (name: string, method: string) => {
      if (name === 'audit_subject_keys') keyReads.push(method);
    });
    try {
      await download();
      await download();
    } finally {
      mongoose.set('debug', false);
    }
    expect(keyReads).toEqual([]);
  });

  it("publishes no invalidation when a new person's first audit key is made: nothing can have cached it", async () => {
    const listener = new Redis(redis.url);
    const heard: string[] = [];
    try {
      await listener.subscribe('strongroom:audit-subject-key-invalidations');
      listener.on('message', (_channel: string, message: string) => heard.push(message));
      const fresh = await signUp(t, 'first-key');
      await eventually(
        () => collection(t, 'audit_subject_keys').findOne({ subjectId: fresh.id }),
        "the new person's audit key",
      );
      // A message published before the key was stored would have arrived by the time of a round trip.
      await listener.ping();
      expect(heard).toEqual([]);
    } finally {
      listener.disconnect();
    }
  });
});
