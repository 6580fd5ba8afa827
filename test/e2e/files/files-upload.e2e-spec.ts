import { Types } from 'mongoose';
import { request as httpRequest } from 'node:http';
import type { Test } from 'supertest';
import type { AddressInfo } from 'node:net';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { PNG_BYTES, sha256, storedBlobs, upload } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STORAGE_WRITE_ERRORS = 'storage_errors_total{driver="local",op="write"}';
const ABORTED_UPLOADS = 'storage_upload_duration_seconds_count{driver="local",outcome="aborted"}';

describe('POST /api/v1/files', () => {
  let t: TestApp;
  let admin: Account;
  let alice: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, MAX_FILE_SIZE: '64KB' } });
    admin = await firstAdmin(t);
    alice = await signUp(t, 'alice');
  });
  afterAll(() => t.close());

  const filesOf = (account: Account) =>
    collection(t, 'files')
      .find({ uploader: new Types.ObjectId(account.id) })
      .toArray();
  const storageUsed = async (account: Account) =>
    (await collection(t, 'users').findOne({ email: account.email }))?.storageUsed as number;

  it('stores the bytes and answers with their sha256, sniffed type and sanitised name', async () => {
    const res = await upload(t, alice, PNG_BYTES, '../../evil\u202Egnp.exe').expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'evilgnp.exe',
      size: PNG_BYTES.length,
      contentType: 'image/png',
      sha256: sha256(PNG_BYTES),
      uploadedAt: expect.any(String),
      owner: alice.id,
    });
    const record = await collection(t, 'files').findOne({
      storageKey: { $exists: true },
      sha256: sha256(PNG_BYTES),
    });
    expect(record?.status).toBe('ready');
  });

  it('accepts an empty file', async () => {
    const res = await upload(t, alice, Buffer.alloc(0), 'empty.txt').expect(201);
    expect(res.body).toMatchObject({
      size: 0,
      sha256: sha256(Buffer.alloc(0)),
      contentType: 'application/octet-stream',
    });
  });

  it('cuts an over-long file name to 255 characters, counting an emoji as one', async () => {
    const res = await upload(t, alice, Buffer.from('x'), `${'📄'.repeat(300)}.txt`).expect(201);
    expect(res.body.name).toBe('📄'.repeat(255));
  });

  it('accepts a file of exactly MAX_FILE_SIZE', async () => {
    await upload(t, alice, Buffer.alloc(64 * 1024, 1), 'exact.bin').expect(201);
  });

  it('answers 413 over MAX_FILE_SIZE and leaves neither blob nor record', async () => {
    const bob = await signUp(t, 'big');
    const before = await storedBlobs(t);
    const res = await upload(t, bob, Buffer.alloc(64 * 1024 + 1, 2), 'big.bin').expect(413);
    expect(res.body.message).toMatch(/larger than the limit of 65536 bytes/);
    expect(await filesOf(bob)).toEqual([]);
    expect(await storedBlobs(t)).toEqual(before);
    expect(await storageUsed(bob)).toBe(0);
  });

  it.each<[string, (req: ReturnType<TestApp['http']>) => Test, number, RegExp]>([
    [
      'a form field instead of the file',
      (req) => req.post('/api/v1/files').field('note', 'hello'),
      400,
      /no form fields/,
    ],
    [
      'a form field beside the file',
      (req) =>
        req.post('/api/v1/files').attach('file', Buffer.from('x'), 'x.txt').field('note', 'hi'),
      400,
      /no form fields: send only the file/,
    ],
    [
      'a JSON body',
      (req) => req.post('/api/v1/files').send({ file: 'x' }),
      415,
      /multipart\/form-data/,
    ],
    [
      'the wrong field name',
      (req) => req.post('/api/v1/files').attach('upload', Buffer.from('x'), 'x.txt'),
      400,
      /field named "file"/,
    ],
    [
      'two files',
      (req) =>
        req
          .post('/api/v1/files')
          .attach('file', Buffer.from('one'), 'a.txt')
          .attach('file', Buffer.from('two'), 'b.txt'),
      400,
      /exactly one file/,
    ],
    [
      'a missing boundary',
      (req) => req.post('/api/v1/files').set('Content-Type', 'multipart/form-data').send('--x\r\n'),
      400,
      /malformed/,
    ],
    [
      'a truncated body',
      (req) =>
        req
          .post('/api/v1/files')
          .set('Content-Type', 'multipart/form-data; boundary=XYZ')
          .send(
            '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a fi',
          ),
      400,
      /malformed|Unexpected end/i,
    ],
  ])('rejects %s and leaves nothing', async (_case, build, status, message) => {
    const carol = await signUp(t, 'bad-upload');
    const before = await storedBlobs(t);
    const res = await build(t.http()).set('Authorization', carol.bearer);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    expect(await filesOf(carol)).toEqual([]);
    expect(await storedBlobs(t)).toEqual(before);
  });

  it('needs authentication', async () => {
    await t.http().post('/api/v1/files').attach('file', Buffer.from('x'), 'x.txt').expect(401);
  });

  describe('quota', () => {
    it('refuses an upload over the quota (413) and charges nothing', async () => {
      const dave = await signUp(t, 'quota');
      await t
        .http()
        .patch(`/api/v1/users/${dave.id}`)
        .set('Authorization', admin.bearer)
        .send({ quota: 1000 })
        .expect(200);
      await upload(t, dave, Buffer.alloc(600, 1)).expect(201);
      const res = await upload(t, dave, Buffer.alloc(600, 2)).expect(413);
      expect(res.body.message).toMatch(/quota/);
      expect(await storageUsed(dave)).toBe(600);
      expect((await filesOf(dave)).map((file) => file.status)).toEqual(['ready']);
    });

    it('holds under concurrent uploads', async () => {
      const erin = await signUp(t, 'race');
      await t
        .http()
        .patch(`/api/v1/users/${erin.id}`)
        .set('Authorization', admin.bearer)
        .send({ quota: 1000 })
        .expect(200);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => upload(t, erin, Buffer.alloc(300, i))),
      );
      const created = results.filter((res) => res.status === 201).length;
      expect(results.every((res) => res.status === 201 || res.status === 413)).toBe(true);
      expect(created).toBeLessThanOrEqual(3);
      expect(await storageUsed(erin)).toBe(created * 300);
      const files = await filesOf(erin);
      expect(files.filter((file) => file.status === 'ready')).toHaveLength(created);
      expect(files).toHaveLength(created);
    });
  });

  it('a client that aborts mid-upload leaves nothing behind, and the server keeps serving', async () => {
    const frank = await signUp(t, 'abort');
    const before = await storedBlobs(t);
    const [storageErrors, aborted] = [
      await metricValue(t, STORAGE_WRITE_ERRORS),
      await metricValue(t, ABORTED_UPLOADS),
    ];
    const server = t.app.getHttpServer();
    if (!server.listening)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/files',
        headers: {
          Authorization: frank.bearer,
          'Content-Type': 'multipart/form-data; boundary=XYZ',
          'Content-Length': String(60 * 1024),
        },
      });
      req.on('error', () => resolve());
      req.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n');
      req.write(Buffer.alloc(20 * 1024, 3), () =>
        setTimeout(() => (req.destroy(), resolve()), 200),
      );
    });
    for (let i = 0; i < 40 && (await filesOf(frank)).length > 0; i++) await sleep(100);
    expect(await filesOf(frank)).toEqual([]);
    expect(await storedBlobs(t)).toEqual(before);
    // The client's doing, not the backend's: no storage error for the alert to page on.
    expect(await metricValue(t, STORAGE_WRITE_ERRORS)).toBe(storageErrors);
    expect(await metricValue(t, ABORTED_UPLOADS)).toBe(aborted + 1);
    await upload(t, frank, Buffer.from('still serving')).expect(201);
  });
});
