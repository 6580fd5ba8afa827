import { rm } from 'node:fs/promises';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { FileMetrics } from '@strongroom/files';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { PNG_BYTES, sha256, storedBlobs, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const binary = (res: { body: unknown }) => res.body as Buffer;

describe('files: list, metadata, content, rename, delete', () => {
  let t: TestApp;
  let admin: Account;
  let alice: Account;
  let bob: Account;
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  let fileId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: ADMIN_ENV });
    admin = await firstAdmin(t);
    alice = await signUp(t, 'alice');
    bob = await signUp(t, 'bob');
    fileId = (await upload(t, alice, data, 'naïve report €.bin').expect(201)).body.id as string;
  });
  afterAll(() => t.close());

  const get = (account: Account, path: string) =>
    t
      .http()
      .get(path)
      .set('Authorization', account.bearer)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });

  describe('GET /api/v1/files', () => {
    let carol: Account;
    beforeAll(async () => {
      carol = await signUp(t, 'carol');
      await upload(t, carol, Buffer.alloc(30, 1), 'banana.txt').expect(201);
      await upload(t, carol, Buffer.alloc(10, 2), 'apple.txt').expect(201);
      await upload(t, carol, Buffer.alloc(20, 3), 'cherry.txt').expect(201);
    });

    it('lists the caller’s files, newest first, with paging and total', async () => {
      const res = await t
        .http()
        .get('/api/v1/files?limit=2')
        .set('Authorization', carol.bearer)
        .expect(200);
      expect(res.body).toMatchObject({ page: 1, limit: 2, total: 3 });
      expect(res.body.items.map((item: { name: string }) => item.name)).toEqual([
        'cherry.txt',
        'apple.txt',
      ]);
    });

    it.each([
      ['name', ['apple.txt', 'banana.txt', 'cherry.txt']],
      ['-size', ['banana.txt', 'cherry.txt', 'apple.txt']],
      ['size', ['apple.txt', 'cherry.txt', 'banana.txt']],
    ])('sorts by %s', async (sort, names) => {
      const res = await t
        .http()
        .get(`/api/v1/files?sort=${sort}`)
        .set('Authorization', carol.bearer)
        .expect(200);
      expect(res.body.items.map((item: { name: string }) => item.name)).toEqual(names);
    });

    it('searches names, treating the query as text', async () => {
      const res = await t
        .http()
        .get('/api/v1/files?q=BAN')
        .set('Authorization', carol.bearer)
        .expect(200);
      expect(res.body.items.map((item: { name: string }) => item.name)).toEqual(['banana.txt']);
      const regex = await t
        .http()
        .get('/api/v1/files?q=.*')
        .set('Authorization', carol.bearer)
        .expect(200);
      expect(regex.body.total).toBe(0);
    });

    it('never shows other users’ files under scope=mine; shared is empty until sharing exists', async () => {
      const mine = await t
        .http()
        .get('/api/v1/files?scope=mine')
        .set('Authorization', bob.bearer)
        .expect(200);
      expect(mine.body.total).toBe(0);
      const shared = await t
        .http()
        .get('/api/v1/files?scope=shared')
        .set('Authorization', bob.bearer)
        .expect(200);
      expect(shared.body).toMatchObject({ items: [], total: 0 });
    });

    it('scope=all is for admins (403 otherwise)', async () => {
      await t.http().get('/api/v1/files?scope=all').set('Authorization', bob.bearer).expect(403);
      const res = await t
        .http()
        .get('/api/v1/files?scope=all&limit=100')
        .set('Authorization', admin.bearer)
        .expect(200);
      expect(res.body.total).toBeGreaterThanOrEqual(4);
    });

    it('scope=all totals every ready file without counting them all', async () => {
      const files = collection(t, 'files');
      await files.insertOne({
        uploader: new Types.ObjectId(),
        name: 'half-uploaded.bin',
        size: 1,
        storageDriver: 'local',
        storageKey: `pending/${new Types.ObjectId().toHexString()}`,
        status: 'pending',
        createdAt: new Date(),
        uploadedAt: new Date(),
      });
      const ready = await files.countDocuments({ status: 'ready' });
      // The stored-files gauge counts them in the background, on its own timer: not a request.
      const metrics = t.app.get(FileMetrics);
      metrics.onModuleDestroy();
      const counted: unknown[] = [];
      mongoose.set('debug', (name: string, method: string, ...args: unknown[]) => {
        if (name === 'files' && method === 'countDocuments') counted.push(args[0]);
      });
      try {
        const res = await t
          .http()
          .get('/api/v1/files?scope=all&limit=1')
          .set('Authorization', admin.bearer)
          .expect(200);
        expect(res.body.total).toBe(ready);
      } finally {
        mongoose.set('debug', false);
        metrics.onModuleInit();
      }
      expect(counted).toEqual([{ status: 'pending' }]);
    });

    it.each([
      'scope=everything',
      'sort=owner',
      'sort=-$natural',
      'limit=1000',
      'page=-1',
      'q[$gt]=',
    ])('rejects %s with 400', async (query) => {
      await t.http().get(`/api/v1/files?${query}`).set('Authorization', carol.bearer).expect(400);
    });
  });

  describe('access', () => {
    it('another user gets 404 for metadata, content, rename and delete; an admin gets through', async () => {
      for (const request of [
        t.http().get(`/api/v1/files/${fileId}`),
        t.http().get(`/api/v1/files/${fileId}/content`),
        t.http().head(`/api/v1/files/${fileId}/content`),
        t.http().patch(`/api/v1/files/${fileId}`).send({ name: 'stolen' }),
        t.http().delete(`/api/v1/files/${fileId}`),
      ]) {
        await request.set('Authorization', bob.bearer).expect(404);
      }
      await t.http().get(`/api/v1/files/${fileId}`).set('Authorization', admin.bearer).expect(200);
    });

    it.each(['not-an-id', '6650f1c2a1b2c3d4e5f60718', '{"$ne":null}'])(
      'answers 404 for id %s',
      async (id) => {
        await t
          .http()
          .get(`/api/v1/files/${encodeURIComponent(id)}`)
          .set('Authorization', alice.bearer)
          .expect(404);
      },
    );
  });

  describe('GET /api/v1/files/:id/content', () => {
    it('streams the bytes with safe download headers', async () => {
      const res = await get(alice, `/api/v1/files/${fileId}/content`).expect(200);
      expect(sha256(binary(res))).toBe(sha256(data));
      expect(res.headers).toMatchObject({
        'content-length': '1000',
        etag: `"${sha256(data)}"`,
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-cache',
      });
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="na?ve report ?.bin"; filename*=UTF-8''na%C3%AFve%20report%20%E2%82%AC.bin`,
      );
      expect(res.headers['content-security-policy']).toMatch(/^sandbox/);
    });

    it.each<[string, number, number]>([
      ['bytes=0-9', 0, 9],
      ['bytes=990-', 990, 999],
      ['bytes=-5', 995, 999],
      ['bytes=500-500', 500, 500],
      ['bytes=900-5000', 900, 999],
      ['bytes=-5000', 0, 999],
    ])('%s → 206 with exactly that slice', async (range, start, end) => {
      const res = await get(alice, `/api/v1/files/${fileId}/content`)
        .set('Range', range)
        .expect(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
      expect(Number(res.headers['content-length'])).toBe(end - start + 1);
      expect(binary(res).equals(data.subarray(start, end + 1))).toBe(true);
    });

    it.each(['bytes=1000-', 'bytes=-0', 'bytes=2000-3000'])(
      '%s → 416 with the size',
      async (range) => {
        const res = await t
          .http()
          .get(`/api/v1/files/${fileId}/content`)
          .set('Authorization', alice.bearer)
          .set('Range', range)
          .expect(416);
        expect(res.headers['content-range']).toBe('bytes */1000');
        expect(res.body).toMatchObject({
          statusCode: 416,
          message: expect.stringMatching(/1000 bytes/),
        });
      },
    );

    it('answers several ranges with the whole file (200), and ignores a malformed header', async () => {
      for (const range of ['bytes=0-1,5-6', 'pages=1-2', 'bytes=abc', 'bytes=5-1']) {
        const res = await get(alice, `/api/v1/files/${fileId}/content`)
          .set('Range', range)
          .expect(200);
        expect(binary(res)).toHaveLength(1000);
      }
    });

    it('If-None-Match with the ETag is 304', async () => {
      await t
        .http()
        .get(`/api/v1/files/${fileId}/content`)
        .set('Authorization', alice.bearer)
        .set('If-None-Match', `"${sha256(data)}"`)
        .expect(304);
      await get(alice, `/api/v1/files/${fileId}/content`)
        .set('If-None-Match', '"other"')
        .expect(200);
    });

    it('If-Range with the ETag gives the range; any other validator gives the whole file', async () => {
      const ranged = await get(alice, `/api/v1/files/${fileId}/content`)
        .set('Range', 'bytes=0-9')
        .set('If-Range', `"${sha256(data)}"`)
        .expect(206);
      expect(binary(ranged).equals(data.subarray(0, 10))).toBe(true);
      for (const validator of ['"other"', `W/"${sha256(data)}"`, 'Sun, 06 Dec 2026 15:00:00 GMT']) {
        const res = await get(alice, `/api/v1/files/${fileId}/content`)
          .set('Range', 'bytes=0-9')
          .set('If-Range', validator)
          .expect(200);
        expect(binary(res)).toHaveLength(1000);
      }
    });

    it('HEAD gives the headers and no body', async () => {
      const res = await t
        .http()
        .head(`/api/v1/files/${fileId}/content`)
        .set('Authorization', alice.bearer)
        .expect(200);
      expect(res.headers['content-length']).toBe('1000');
      expect(res.headers.etag).toBe(`"${sha256(data)}"`);
      expect(res.text ?? '').toBe('');
    });

    it('serves the sniffed type, not the one the client claimed', async () => {
      const png = await upload(t, alice, PNG_BYTES, 'picture.txt').expect(201);
      const res = await get(alice, `/api/v1/files/${png.body.id}/content`).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
    });
  });

  it('counts transfers by driver and the stored totals on /metrics', async () => {
    await get(alice, `/api/v1/files/${fileId}/content`).expect(200);
    await t.app.get(FileMetrics).refreshTotals();
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/storage_upload_bytes_total\{driver="local"\} [1-9]/);
    expect(metrics.text).toMatch(/storage_download_bytes_total\{driver="local"\} [1-9]/);
    expect(metrics.text).toMatch(
      /storage_upload_duration_seconds_count\{driver="local",outcome="ok"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/strongroom_stored_files [1-9]/);
    expect(metrics.text).toMatch(/strongroom_stored_bytes [1-9]/);
  });

  it('a blob lost from storage is a 404 for the client and a storage error on /metrics', async () => {
    const lost = await upload(t, alice, Buffer.from('soon gone')).expect(201);
    const record = await collection(t, 'files').findOne({ sha256: lost.body.sha256 });
    await rm(path.join(t.config.storage.local.path, ...(record?.storageKey as string).split('/')));
    await t
      .http()
      .get(`/api/v1/files/${lost.body.id}/content`)
      .set('Authorization', alice.bearer)
      .expect(404);
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/storage_errors_total\{driver="local",op="read"\} [1-9]/);
  });

  describe('PATCH /api/v1/files/:id', () => {
    it('renames, sanitising the name', async () => {
      const res = await t
        .http()
        .patch(`/api/v1/files/${fileId}`)
        .set('Authorization', alice.bearer)
        .send({ name: '../../etc/pass\u0000wd\r\n' })
        .expect(200);
      expect(res.body.name).toBe('passwd');
    });

    it('keeps a name of 255 characters whole and refuses 256 instead of cutting it', async () => {
      const rename = (name: string) =>
        t.http().patch(`/api/v1/files/${fileId}`).set('Authorization', alice.bearer).send({ name });
      const longest = `${'📄'.repeat(251)}.txt`;
      expect((await rename(longest).expect(200)).body.name).toBe(longest);
      const res = await rename(`${longest}x`).expect(400);
      expect(res.body.message).toEqual(['name must be 1 to 255 characters long']);
      const after = await t
        .http()
        .get(`/api/v1/files/${fileId}`)
        .set('Authorization', alice.bearer)
        .expect(200);
      expect(after.body.name).toBe(longest);
    });

    it.each([{ name: '' }, { name: '   ' }, { name: 42 }, { name: 'x', owner: 'someone' }, {}])(
      'rejects %j with 400',
      async (body) => {
        await t
          .http()
          .patch(`/api/v1/files/${fileId}`)
          .set('Authorization', alice.bearer)
          .send(body)
          .expect(400);
      },
    );
  });

  describe('DELETE /api/v1/files/:id', () => {
    it('removes the record and the blob and gives the quota back', async () => {
      const dora = await signUp(t, 'dora');
      const created = await upload(t, dora, Buffer.alloc(500, 9), 'gone.bin').expect(201);
      const before = await storedBlobs(t);
      expect((await collection(t, 'users').findOne({ email: dora.email }))?.storageUsed).toBe(500);
      await t
        .http()
        .delete(`/api/v1/files/${created.body.id}`)
        .set('Authorization', dora.bearer)
        .expect(204);
      await t
        .http()
        .get(`/api/v1/files/${created.body.id}`)
        .set('Authorization', dora.bearer)
        .expect(404);
      expect((await collection(t, 'users').findOne({ email: dora.email }))?.storageUsed).toBe(0);
      expect(await storedBlobs(t)).toHaveLength(before.length - 1);
    });

    it('deleting a user deletes their files', async () => {
      const ed = await signUp(t, 'ed');
      await upload(t, ed, Buffer.alloc(100, 5), 'a.bin').expect(201);
      await upload(t, ed, Buffer.alloc(100, 6), 'b.bin').expect(201);
      const before = await storedBlobs(t);
      await t
        .http()
        .delete(`/api/v1/users/${ed.id}`)
        .set('Authorization', admin.bearer)
        .expect(204);
      expect(
        await collection(t, 'files').countDocuments({ name: { $in: ['a.bin', 'b.bin'] } }),
      ).toBe(0);
      expect(await storedBlobs(t)).toHaveLength(before.length - 2);
    });
  });
});
