import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Types } from 'mongoose';
import {
  ClamdServer,
  createTempDir,
  EICAR,
  EICAR_DETECTION,
  type TempDir,
} from '@strongroom/testing';
import { UploadExpirySweeper } from '@strongroom/uploads';
import { type Account, collection, signUp } from '../../support/accounts';
import { auditEvent } from '../../support/audit';
import { downloadContent, sha256, storedBlobs } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { interruptedPatch, tusOffset, tusOptions, tusUpload, uploadPath } from '../../support/tus';
import { createListeningTestApp, createTestApp, type TestApp } from '../../support/test-app';

const MiB = 1024 * 1024;

/** A tus request as `account`. */
const as = (account: Account) => (req: ReturnType<ReturnType<TestApp['http']>['head']>) =>
  req.set('Authorization', account.bearer).set('Tus-Resumable', '1.0.0');

describe('tus resumable uploads (tus-js-client)', () => {
  let t: TestApp;
  let baseUrl: string;
  let alice: Account;

  beforeAll(async () => {
    // Listening at its PUBLIC_URL, which the Location of every upload is under.
    const app = await createListeningTestApp({ env: { MAX_FILE_SIZE: '16MB' } });
    t = app;
    baseUrl = app.baseUrl;
    alice = await signUp(t, 'tus');
  });
  afterAll(() => t.close());

  it('uploads a file that becomes a ready file with the right SHA-256, name and size', async () => {
    const series = (name: string) => `${name}{route="tus"}`;
    const [started, completed, bytes] = await Promise.all(
      [
        'strongroom_uploads_started_total',
        'strongroom_uploads_completed_total',
        'strongroom_upload_received_bytes_total',
      ].map((name) => metricValue(t, series(name))),
    );
    const data = randomBytes(3 * MiB + 12345);
    const { fileId } = await tusUpload(
      data,
      tusOptions(baseUrl, alice, { chunkSize: 2 * MiB, metadata: { filename: 'report.bin' } }),
    );
    const meta = await t
      .http()
      .get(`/api/v1/files/${fileId}`)
      .set('Authorization', alice.bearer)
      .expect(200);
    expect(meta.body).toMatchObject({
      name: 'report.bin',
      size: data.length,
      sha256: sha256(data),
    });
    expect(sha256(await downloadContent(t, alice, fileId))).toBe(sha256(data));
    const user = await collection(t, 'users').findOne({ email: alice.email });
    expect(user?.storageUsed).toBeGreaterThanOrEqual(data.length);
    expect(await metricValue(t, series('strongroom_uploads_started_total'))).toBe(started + 1);
    expect(await metricValue(t, series('strongroom_uploads_completed_total'))).toBe(completed + 1);
    expect(await metricValue(t, series('strongroom_upload_received_bytes_total'))).toBe(
      bytes + data.length,
    );
    expect(await auditEvent(t, { type: 'file_uploaded', 'target.fileId': fileId })).toBeTruthy();
  });

  /** Creates an upload as the account (201) and returns its absolute URL. */
  async function createUpload(account: Account, length: number): Promise<string> {
    const res = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', account.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(length))
      .set('Upload-Metadata', `filename ${Buffer.from('resumed.bin').toString('base64')}`)
      .expect(201);
    expect(res.headers.location).toMatch(
      /^http:\/\/localhost:\d+\/api\/v1\/uploads\/[0-9a-f]{24}$/,
    );
    expect(res.headers.location.startsWith(`${baseUrl}/`)).toBe(true);
    return res.headers.location;
  }

  it('resumes after the connection is destroyed mid-PATCH, from the durably stored offset', async () => {
    const data = randomBytes(6 * MiB + 777);
    const url = await createUpload(alice, data.length);
    await interruptedPatch(url, alice, data, 2.5 * MiB, 2 * MiB);
    const offset = await tusOffset(url, alice);
    // Whole 1 MiB encryption chunks only: what is reported is what is stored.
    expect(offset % MiB).toBe(0);
    expect(offset).toBeGreaterThanOrEqual(2 * MiB);
    expect(offset).toBeLessThan(data.length);

    const { fileId } = await tusUpload(
      data,
      tusOptions(baseUrl, alice, { uploadUrl: url, retryDelays: [100, 500, 1000, 2000] }),
    );
    expect(sha256(await downloadContent(t, alice, fileId))).toBe(sha256(data));
    expect(await collection(t, 'files').findOne({ _id: new Types.ObjectId(fileId) })).toMatchObject(
      { status: 'ready', name: 'resumed.bin', size: data.length, sha256: sha256(data) },
    );
  });

  it('refuses a creation over MAX_FILE_SIZE or the remaining quota with 413 before any byte', async () => {
    const bob = await signUp(t, 'tus-quota');
    await collection(t, 'users').updateOne({ email: bob.email }, { $set: { quota: 2 * MiB } });
    const blobsBefore = await storedBlobs(t);
    const create = (length: number) =>
      t
        .http()
        .post('/api/v1/uploads')
        .set('Authorization', bob.bearer)
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', String(length));

    const tooLarge = await create(17 * MiB).expect(413);
    expect(tooLarge.body.message).toContain(`${16 * MiB} bytes`);
    const overQuota = await create(3 * MiB).expect(413);
    expect(overQuota.body.message).toMatch(/quota/);
    await create(1 * MiB).expect(201);

    expect(await storedBlobs(t)).toEqual(blobsBefore);
    const uploads = await collection(t, 'resumable_uploads')
      .find({ owner: new Types.ObjectId(bob.id) })
      .toArray();
    expect(uploads).toHaveLength(1);
  });

  it("answers 404 for another user's upload, and DELETE ends an upload and returns its quota", async () => {
    const carol = await signUp(t, 'tus-other');
    const data = randomBytes(3 * MiB);
    const url = await createUpload(alice, data.length);
    await interruptedPatch(url, alice, data, 1.5 * MiB, 1 * MiB);
    const path = new URL(url).pathname;
    await as(carol)(t.http().head(path)).expect(404);
    await as(carol)(t.http().delete(path)).expect(404);
    const before = (await collection(t, 'users').findOne({ email: alice.email }))?.storageUsed;
    await as(alice)(t.http().delete(path)).expect(204);
    await as(alice)(t.http().head(path)).expect(404);
    const after = (await collection(t, 'users').findOne({ email: alice.email }))?.storageUsed;
    expect(before - after).toBe(data.length);
    expect((await storedBlobs(t)).filter((blob) => blob.includes(path.split('/').pop()!))).toEqual(
      [],
    );
  });

  it('serialises two concurrent PATCHes at one offset: one stores, the other gets 409', async () => {
    const data = randomBytes(4 * MiB);
    const url = await createUpload(alice, data.length);
    const patch = () =>
      fetch(url, {
        method: 'PATCH',
        headers: {
          Authorization: alice.bearer,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
        },
        body: data.subarray(0, 2 * MiB),
      });
    const statuses = (await Promise.all([patch(), patch()])).map((res) => res.status);
    expect(statuses.sort()).toEqual([204, 409]);
    expect(await tusOffset(url, alice)).toBe(2 * MiB);
    const { fileId } = await tusUpload(data, tusOptions(baseUrl, alice, { uploadUrl: url }));
    expect(sha256(await downloadContent(t, alice, fileId))).toBe(sha256(data));
  });

  it('answers a PATCH sent with Expect: 100-continue with 100 Continue, then stores it', async () => {
    const data = randomBytes(2 * MiB);
    const url = await createUpload(alice, data.length);
    const events: string[] = [];
    const offset = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'PATCH',
        headers: {
          Authorization: alice.bearer,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(data.length),
          Expect: '100-continue',
        },
      });
      req.on('continue', () => {
        events.push('continue');
        req.end(data);
      });
      req.on('response', (res) => {
        events.push(`response ${res.statusCode}`);
        res.resume();
        res.on('end', () => resolve(String(res.headers['upload-offset'])));
      });
      req.on('error', reject);
    });
    expect(events).toEqual(['continue', 'response 204']);
    expect(offset).toBe(String(data.length));
  });

  it('refuses a PATCH whose Upload-Offset is not the current one with 409', async () => {
    const url = await createUpload(alice, 2 * MiB);
    await t
      .http()
      .patch(new URL(url).pathname)
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '1024')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(10))
      .expect(409);
  });

  it('refuses a PATCH of another Content-Type with 415, and of another tus version with 412 and Tus-Version', async () => {
    const url = uploadPath(await createUpload(alice, 10));
    const patch = () =>
      t.http().patch(url).set('Authorization', alice.bearer).set('Upload-Offset', '0');
    const wrongType = await patch()
      .set('Tus-Resumable', '1.0.0')
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(10))
      .expect(415);
    expect(wrongType.body).toMatchObject({
      statusCode: 415,
      message: expect.stringContaining('application/offset+octet-stream'),
    });
    const wrongVersion = await patch()
      .set('Tus-Resumable', '0.2.2')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(10))
      .expect(412);
    expect(wrongVersion.headers['tus-version']).toBe('1.0.0');
    expect(wrongVersion.body.message).toMatch(/Tus-Resumable: 1\.0\.0/);
    // Neither took the upload: the right PATCH goes on at once.
    const res = await as(alice)(t.http().patch(url))
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(10, 1))
      .expect(204);
    expect(res.headers['upload-offset']).toBe('10');
    expect(res.headers['strongroom-file-id']).toBe(url.split('/').pop());
  });

  it('refuses a PATCH whose Upload-Offset is not a byte count with 400 saying so', async () => {
    const url = uploadPath(await createUpload(alice, 10));
    for (const offset of ['-1', '1.5', 'abc', '9007199254740993']) {
      const refused = await as(alice)(t.http().patch(url))
        .set('Upload-Offset', offset)
        .set('Content-Type', 'application/offset+octet-stream')
        .send(Buffer.alloc(10))
        .expect(400);
      expect(refused.body.message).toBe('Upload-Offset must be a non-negative integer');
    }
  });

  it('refuses a PATCH too short to store a whole part with 400 saying how much to send; a long enough one goes on', async () => {
    const url = uploadPath(await createUpload(alice, 2 * MiB));
    const patch = (body: Buffer) =>
      as(alice)(t.http().patch(url))
        .set('Upload-Offset', '0')
        .set('Content-Type', 'application/offset+octet-stream')
        .send(body);
    const refused = await patch(Buffer.alloc(10, 1)).expect(400);
    expect(refused.body.message).toMatch(
      /^This PATCH stores nothing: .* Send at least \d+ bytes in one PATCH/,
    );
    const res = await patch(Buffer.alloc(2 * MiB, 1)).expect(204);
    expect(res.headers['upload-offset']).toBe(String(2 * MiB));
  });

  it("answers tus discovery (a plain OPTIONS) itself, and a browser's preflight allows tus headers", async () => {
    const discovery = await t
      .http()
      .options('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .expect(204);
    expect(discovery.headers['tus-version']).toBe('1.0.0');
    expect(discovery.headers['tus-extension']).toContain('creation');
    await t.http().options('/api/v1/uploads').expect(401);

    const preflight = await t
      .http()
      .options('/api/v1/uploads')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization, tus-resumable, upload-offset')
      .expect(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Tus-Resumable/);
    const created = await as(alice)(t.http().post('/api/v1/uploads'))
      .set('Origin', 'http://localhost:5173')
      .set('Upload-Length', '10')
      .expect(201);
    expect(created.headers['access-control-expose-headers']).toMatch(/Location/);
    expect(created.headers['access-control-expose-headers']).toMatch(/Upload-Offset/);
  });

  it('creates an empty file with creation-with-upload, and a retried last PATCH gets the length', async () => {
    const created = await as(alice)(t.http().post('/api/v1/uploads'))
      .set('Upload-Length', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(0))
      .expect(201);
    expect(created.headers['upload-offset']).toBe('0');
    const retried = await as(alice)(t.http().patch(uploadPath(created.headers.location)))
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(0))
      .expect(204);
    expect(retried.headers['upload-offset']).toBe('0');
  });

  it('refuses a tus request without Tus-Resumable with 412 in the contract error shape', async () => {
    const res = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .set('Upload-Length', '10')
      .expect(412)
      .expect('Content-Type', /application\/json/);
    expect(res.body).toMatchObject({
      statusCode: 412,
      message: expect.stringMatching(/Tus-Resumable/),
    });
    expect(res.body.requestId).toBeTruthy();
    expect(res.headers['tus-resumable']).toBe('1.0.0');
  });

  it('a PATCH refused after its upload was loaded (a body longer than what remains) does not hold the upload', async () => {
    const url = uploadPath(await createUpload(alice, 10));
    const patch = (body: Buffer) =>
      as(alice)(t.http().patch(url))
        .set('Upload-Offset', '0')
        .set('Content-Type', 'application/offset+octet-stream')
        .send(body);
    await patch(Buffer.alloc(20, 1)).expect(413);
    // At once, not after the claim of the refused request would have lapsed (15 s).
    const res = await patch(Buffer.alloc(10, 1)).expect(204);
    expect(res.headers['upload-offset']).toBe('10');
  });

  it("sends Tus-Resumable with every refusal: the guard's 401, an unknown upload, a wrong offset", async () => {
    const url = uploadPath(await createUpload(alice, 10));
    const refusals = [
      await t.http().head(url).set('Tus-Resumable', '1.0.0').expect(401),
      await as(alice)(t.http().head('/api/v1/uploads/0123456789abcdef01234567')).expect(404),
      await as(alice)(t.http().patch(url))
        .set('Upload-Offset', '5')
        .set('Content-Type', 'application/offset+octet-stream')
        .send(Buffer.alloc(5))
        .expect(409),
    ];
    for (const res of refusals) expect(res.headers['tus-resumable']).toBe('1.0.0');
  });
});

describe('tus Location behind a path prefix', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://files.example.com/strongroom' } });
  });
  afterAll(() => t.close());

  it('is absolute, under PUBLIC_URL with its path prefix, not built from Host', async () => {
    const alice = await signUp(t, 'tus-prefix');
    const res = await as(alice)(t.http().post('/api/v1/uploads'))
      .set('Host', 'attacker.example')
      .set('X-Forwarded-Host', 'attacker.example')
      .set('Upload-Length', '10')
      .expect(201);
    expect(res.headers.location).toMatch(
      /^https:\/\/files\.example\.com\/strongroom\/api\/v1\/uploads\/[0-9a-f]{24}$/,
    );
    // The path the proxy forwards, once it has taken the prefix off, is the upload's.
    const offset = await as(alice)(
      t.http().head(uploadPath(res.headers.location).replace('/strongroom', '')),
    ).expect(200);
    expect(offset.headers['upload-offset']).toBe('0');
  });
});

describe('tus uploads with clamd, and their expiry', () => {
  let workDir: TempDir;
  let clamd: ClamdServer;
  let t: TestApp;
  let baseUrl: string;
  let dave: Account;

  beforeAll(async () => {
    workDir = await createTempDir('tus-clamd');
    clamd = await ClamdServer.start({ workDir: workDir.path });
    const app = await createListeningTestApp({
      env: { CLAMAV_HOST: clamd.host, CLAMAV_PORT: String(clamd.port), UPLOAD_EXPIRY: '1h' },
    });
    t = app;
    baseUrl = app.baseUrl;
    dave = await signUp(t, 'tus-scan');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await clamd?.stop();
    await workDir?.remove();
  });

  const storageUsed = async () =>
    (await collection(t, 'users').findOne({ email: dave.email }))?.storageUsed as number;

  it('refuses infected content at completion (422), keeps nothing and releases the quota', async () => {
    const blobsBefore = await storedBlobs(t);
    const data = Buffer.concat([randomBytes(MiB + 5), Buffer.from(EICAR)]);
    await expect(tusUpload(data, tusOptions(baseUrl, dave))).rejects.toThrow(/422/);
    expect(await storageUsed()).toBe(0);
    expect(await storedBlobs(t)).toEqual(blobsBefore);
    expect(
      await collection(t, 'files').countDocuments({ uploader: new Types.ObjectId(dave.id) }),
    ).toBe(0);
    expect(
      await collection(t, 'resumable_uploads').countDocuments({
        owner: new Types.ObjectId(dave.id),
      }),
    ).toBe(0);
    const event = await auditEvent(t, { type: 'upload_infected' });
    expect(event?.details).toMatchObject({ signature: EICAR_DETECTION });
  });

  it('scans clean content and completes it', async () => {
    const data = randomBytes(2 * MiB + 3);
    const { fileId } = await tusUpload(data, tusOptions(baseUrl, dave));
    expect(await collection(t, 'files').findOne({ _id: new Types.ObjectId(fileId) })).toMatchObject(
      {
        status: 'ready',
        sha256: sha256(data),
      },
    );
  });

  it('sweeps an expired upload: its temporary, its record and its reserved quota go; HEAD says 404', async () => {
    const before = await storageUsed();
    const created = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', dave.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(3 * MiB))
      .expect(201);
    const path = uploadPath(created.headers.location);
    const id = path.split('/').pop()!;
    expect(created.headers['upload-expires']).toBeTruthy();
    await t
      .http()
      .patch(path)
      .set('Authorization', dave.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(randomBytes(MiB))
      .expect(204);
    expect(await storageUsed()).toBe(before + 3 * MiB);
    expect(await storedBlobs(t)).toContain(`.uploads/${id}`);

    const swept = await t.app.get(UploadExpirySweeper).sweep(new Date(Date.now() + 2 * 3600_000));
    expect(swept).toBe(1);
    expect(await storageUsed()).toBe(before);
    expect(await storedBlobs(t)).not.toContain(`.uploads/${id}`);
    await t
      .http()
      .head(path)
      .set('Authorization', dave.bearer)
      .set('Tus-Resumable', '1.0.0')
      .expect(404);
  });
});
