import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Types } from 'mongoose';
import { DEFAULT_CHUNK_SIZE, KeyRotation } from '@strongroom/encryption';
import {
  createTempDir,
  type TempDir,
  testS3Server,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { type Account, collection, login, signUp, STRONG_PASSWORD } from '../../support/accounts';
import { runCli } from '../../support/cli';
import { createLink, damageStoredBlob, downloadContent, sha256, upload } from '../../support/files';
import {
  enrolTotp,
  type EnrolledTotp,
  passwordStep,
  totpCode,
  verifyCode,
} from '../../support/mfa';
import { rawGet } from '../../support/raw-http';
import { createTestApp, type TestApp } from '../../support/test-app';

const CHUNK = DEFAULT_CHUNK_SIZE;
const TAG = 16;
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const SECRET_KEY = randomBytes(32).toString('hex');

/** Compressible, repetitive text: the kind of plaintext a careless format would leak runs of. */
function document(size: number): Buffer {
  const line = Buffer.from(
    'Quarterly figures, strictly confidential: revenue 1234567, margin 42%.\n',
  );
  const out = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += line.length) line.copy(out, offset);
  out.write(randomBytes(8).toString('hex'), 0);
  return out;
}

/** True when any 32-byte window of the plaintext appears anywhere in the stored bytes. */
function sharesARunOf32(stored: Buffer, plaintext: Buffer): boolean {
  // The repetitive plaintext has few distinct windows, so those are the set; every window of
  // the stored bytes is looked up in it.
  const windows = new Set<string>();
  for (let at = 0; at + 32 <= plaintext.length; at += 1) {
    windows.add(plaintext.toString('latin1', at, at + 32));
  }
  for (let at = 0; at + 32 <= stored.length; at += 1) {
    if (windows.has(stored.toString('latin1', at, at + 32))) return true;
  }
  return false;
}

function blobPath(t: TestApp, storageKey: string): string {
  return path.join(t.config.storage.local.path, ...storageKey.split('/'));
}

async function record(t: TestApp, id: string) {
  const file = await collection(t, 'files').findOne({ _id: new Types.ObjectId(id) });
  if (!file) throw new Error(`no record ${id}`);
  return file as unknown as {
    storageKey: string;
    size: number;
    encryption?: { kekId: string; wrappedKey: string; chunkSize: number; version: number };
  };
}

function download(t: TestApp, account: Account, id: string, range?: string) {
  const req = t.http().get(`/api/v1/files/${id}/content`).set('Authorization', account.bearer);
  if (range) req.set('Range', range);
  return req.buffer(true).parse((res, callback) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

/** A download over a real socket, to see exactly what arrives before a connection is cut. */
const rawDownload = (t: TestApp, account: Account, id: string) =>
  rawGet(t, `/api/v1/files/${id}/content`, { Authorization: account.bearer });

async function eventually<T>(probe: () => Promise<T | null | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const integrityEvent = (t: TestApp, fileId: string) =>
  eventually(
    () =>
      collection(t, 'audit_events').findOne({
        type: 'file_integrity_failed',
        'target.fileId': fileId,
      }),
    `a file_integrity_failed event for ${fileId}`,
  );

describe('encryption at rest (local driver)', () => {
  let t: TestApp;
  let alice: Account;
  const plaintext = document(3 * CHUNK + 1000);
  let fileId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { ENCRYPTION_KEYS: k1 } });
    alice = await signUp(t, 'alice');
    const res = await upload(t, alice, plaintext, 'figures.txt').expect(201);
    fileId = res.body.id as string;
    expect(res.body).toMatchObject({ size: plaintext.length, sha256: sha256(plaintext) });
  });
  afterAll(() => t.close());

  it('stores ciphertext only: not the plaintext, no 32-byte run of it, one tag per chunk', async () => {
    const file = await record(t, fileId);
    expect(file.encryption).toMatchObject({ version: 1, kekId: 'k1', chunkSize: CHUNK });
    const stored = await readFile(blobPath(t, file.storageKey));
    expect(stored.length).toBe(plaintext.length + 4 * TAG);
    expect(stored.equals(plaintext)).toBe(false);
    expect(sharesARunOf32(stored, plaintext)).toBe(false);
  });

  it('downloads the plaintext, whole and in any range across chunk boundaries', async () => {
    const whole = await download(t, alice, fileId).expect(200);
    expect(whole.headers.etag).toBe(`"${sha256(plaintext)}"`);
    expect((whole.body as Buffer).equals(plaintext)).toBe(true);

    const edges = [
      [0, 0],
      [CHUNK - 1, CHUNK],
      [CHUNK - 8, 2 * CHUNK + 8],
      [3 * CHUNK, plaintext.length - 1],
      [plaintext.length - 1, plaintext.length - 1],
    ];
    for (const [start, end] of edges) {
      const res = await download(t, alice, fileId, `bytes=${start}-${end}`).expect(206);
      expect((res.body as Buffer).equals(plaintext.subarray(start, end + 1))).toBe(true);
    }
    const suffix = await download(t, alice, fileId, 'bytes=-70000').expect(206);
    expect((suffix.body as Buffer).equals(plaintext.subarray(plaintext.length - 70000))).toBe(true);

    await fc.assert(
      fc.asyncProperty(fc.nat(plaintext.length - 1), fc.nat(2 * CHUNK), async (start, span) => {
        const end = Math.min(plaintext.length - 1, start + span);
        const res = await download(t, alice, fileId, `bytes=${start}-${end}`).expect(206);
        expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${plaintext.length}`);
        expect((res.body as Buffer).equals(plaintext.subarray(start, end + 1))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('stores and serves an empty file', async () => {
    const res = await upload(t, alice, Buffer.alloc(0), 'empty.txt').expect(201);
    const file = await record(t, res.body.id as string);
    expect((await readFile(blobPath(t, file.storageKey))).length).toBe(TAG);
    const body = await download(t, alice, res.body.id as string).expect(200);
    expect((body.body as Buffer).length).toBe(0);
  });

  describe('a damaged blob', () => {
    async function damaged(offset: (size: number) => number): Promise<string> {
      const res = await upload(t, alice, plaintext, 'victim.txt').expect(201);
      const id = res.body.id as string;
      await damageStoredBlob(t, id, offset);
      return id;
    }

    it('mid-stream: the verified chunks arrive, then the connection is cut; an event is recorded', async () => {
      const id = await damaged(() => 2 * (CHUNK + TAG) + 100);
      const res = await rawDownload(t, alice, id);
      expect(res.status).toBe(200);
      expect(res.aborted).toBe(true);
      expect(res.received.length).toBeLessThan(res.contentLength);
      // Nothing of the altered chunk: at most the chunks before it, exactly as stored.
      expect(res.received.length).toBeLessThanOrEqual(2 * CHUNK);
      expect(res.received.equals(plaintext.subarray(0, res.received.length))).toBe(true);

      const event = await integrityEvent(t, id);
      expect(event).toMatchObject({
        outcome: 'failure',
        actor: { userId: alice.id },
        details: { chunk: 2, responseStarted: true },
      });
    });

    it('at the first chunk: a clean 500 before any byte, and an event', async () => {
      const id = await damaged(() => 5);
      const res = await download(t, alice, id).expect(500);
      expect(JSON.parse((res.body as Buffer).toString())).toMatchObject({
        message: 'The stored file failed its integrity check; nothing of it was sent',
      });
      const event = await integrityEvent(t, id);
      expect(event).toMatchObject({ details: { chunk: 0, responseStarted: false } });
    });

    it('through a share link: the same 500, and the download is given back to the link', async () => {
      const id = await damaged(() => 5);
      const link = await createLink(t, alice, id, { maxDownloads: 1 });
      await t.http().get(`/api/v1/public/links/${link.token}/content`).expect(500);
      await integrityEvent(t, id);
      const links = await t
        .http()
        .get(`/api/v1/files/${id}/links`)
        .set('Authorization', alice.bearer)
        .expect(200);
      expect(links.body).toEqual([expect.objectContaining({ id: link.id, downloads: 0 })]);
    });

    it('a truncated blob fails too, while ranges before the damage still read', async () => {
      const res = await upload(t, alice, plaintext, 'cut.txt').expect(201);
      const id = res.body.id as string;
      const file = blobPath(t, (await record(t, id)).storageKey);
      const stored = await readFile(file);
      await writeFile(file, stored.subarray(0, 3 * (CHUNK + TAG)));
      const ranged = await download(t, alice, id, `bytes=10-${CHUNK + 10}`).expect(206);
      expect((ranged.body as Buffer).equals(plaintext.subarray(10, CHUNK + 11))).toBe(true);
      await download(t, alice, id, `bytes=${3 * CHUNK}-${3 * CHUNK + 10}`).expect(500);
      await integrityEvent(t, id);
    });
  });

  it('still serves a file stored before encryption existed (no header, plaintext blob)', async () => {
    const legacy = Buffer.from('stored in the clear, years ago\n'.repeat(5000));
    const id = new Types.ObjectId();
    const hex = id.toHexString();
    const storageKey = `f/${hex.slice(-2)}/${hex.slice(-4, -2)}/${hex}`;
    await mkdir(path.dirname(blobPath(t, storageKey)), { recursive: true });
    await writeFile(blobPath(t, storageKey), legacy);
    await collection(t, 'files').insertOne({
      _id: id,
      uploader: new Types.ObjectId(alice.id),
      name: 'legacy.txt',
      size: legacy.length,
      contentType: 'text/plain',
      sha256: sha256(legacy),
      storageDriver: 'local',
      storageKey,
      status: 'ready',
      createdAt: new Date(),
      uploadedAt: new Date(),
    });
    const whole = await download(t, alice, hex).expect(200);
    expect((whole.body as Buffer).equals(legacy)).toBe(true);
    const ranged = await download(t, alice, hex, 'bytes=100000-100099').expect(206);
    expect((ranged.body as Buffer).equals(legacy.subarray(100000, 100100))).toBe(true);
  });
});

describe('key rotation', () => {
  const databaseUrl = uniqueTestDatabaseUrl(testServerUrl());
  let storageDir: TempDir;
  const files = new Map<string, Buffer>();
  let email: string;
  /** Sealed under k1 beside the files: a second factor, and an upload half received. */
  let factorOwner: Account;
  let factor: EnrolledTotp;
  const unfinished = { path: '', data: randomBytes(2 * CHUNK + 5) };

  const signedIn = async (t: TestApp): Promise<Account> => {
    const tokens = await login(t, email, STRONG_PASSWORD);
    return {
      id: '',
      email,
      password: STRONG_PASSWORD,
      tokens,
      bearer: `Bearer ${tokens.accessToken}`,
    };
  };

  const tusPatch = (t: TestApp, account: Account, offset: number, body: Buffer) =>
    t
      .http()
      .patch(unfinished.path)
      .set('Authorization', account.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', String(offset))
      .set('Content-Type', 'application/offset+octet-stream')
      .send(body);

  const appWith = (keys: string, keepDatabase = true) =>
    createTestApp({
      env: {
        ENCRYPTION_KEYS: keys,
        MONGO_URL: databaseUrl,
        SECRET_KEY,
        FILE_STORAGE_PATH: storageDir.path,
      },
      keepDatabase,
    });

  const expectAllDownload = async (t: TestApp) => {
    const account = { ...(await login(t, email, STRONG_PASSWORD)) };
    const bearer = `Bearer ${account.accessToken}`;
    for (const [id, data] of files) {
      const res = await t
        .http()
        .get(`/api/v1/files/${id}/content`)
        .set('Authorization', bearer)
        .buffer(true)
        .parse((stream, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect((res.body as Buffer).equals(data)).toBe(true);
    }
  };

  let cliDataDir: TempDir;
  beforeAll(async () => {
    storageDir = await createTempDir('rotation');
    cliDataDir = await createTempDir('rotation-cli');
  });
  afterAll(async () => {
    await storageDir.remove();
    await cliDataDir.remove();
  });

  describe('files written under k1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith(k1);
    });
    afterAll(() => t.close());

    it('are stored under k1', async () => {
      const alice = await signUp(t, 'rotating');
      email = alice.email;
      for (const size of [0, 10, CHUNK + 1, 2 * CHUNK]) {
        const data = randomBytes(size);
        const res = await upload(t, alice, data).expect(201);
        files.set(res.body.id as string, data);
      }
      const kekIds = await collection(t, 'files').distinct('encryption.kekId');
      expect(kekIds).toEqual(['k1']);
    });

    it('as are a TOTP secret and an unfinished resumable upload', async () => {
      factorOwner = await signUp(t, 'rotating-factor');
      factor = await enrolTotp(t, factorOwner);
      const alice = await signedIn(t);
      const created = await t
        .http()
        .post('/api/v1/uploads')
        .set('Authorization', alice.bearer)
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', String(unfinished.data.length))
        .expect(201);
      unfinished.path = new URL(created.headers.location, 'http://any').pathname;
      await tusPatch(t, alice, 0, unfinished.data.subarray(0, CHUNK)).expect(204);
      expect(await collection(t, 'mfa_totp_factors').distinct('kekId')).toEqual(['k1']);
      expect(await collection(t, 'resumable_uploads').distinct('encryption.kekId')).toEqual(['k1']);
    });
  });

  describe('after ENCRYPTION_KEYS=k2,k1 and rotate-keys', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith(`${k2},${k1}`);
    });
    afterAll(() => t.close());

    it('rotate-keys re-wraps every data key under k2, blobs untouched; every file downloads', async () => {
      const blobsBefore = await Promise.all(
        [...files.keys()].map(async (id) =>
          readFile(blobPath(t, (await record(t, id)).storageKey)),
        ),
      );
      // Everyone who acted so far has an audit key for their personal data, sealed under k1 too.
      const subjectKeys = await collection(t, 'audit_subject_keys').countDocuments({ kekId: 'k1' });
      const run = await runCli(['rotate-keys'], {
        MONGO_URL: databaseUrl,
        ENCRYPTION_KEYS: `${k2},${k1}`,
        SECRET_KEY,
        DATA_DIR: cliDataDir.path,
        FILE_STORAGE_PATH: storageDir.path,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const sealed = files.size + 2 + subjectKeys;
      expect(run.stdout).toBe(
        `… ${subjectKeys} of ${sealed} sealed keys handled\n` +
          `… ${subjectKeys + files.size} of ${sealed} sealed keys handled\n` +
          `… ${subjectKeys + files.size + 1} of ${sealed} sealed keys handled\n` +
          `… ${sealed} of ${sealed} sealed keys handled\n` +
          `re-wrapped ${sealed} sealed keys under key 'k2' (${subjectKeys} audit subject keys, ` +
          `0 webhook secrets, ${files.size} file data keys, 1 resumable upload data keys, 1 TOTP secrets; ` +
          `0 already done elsewhere, 0 failed)\n`,
      );
      expect(await collection(t, 'audit_subject_keys').distinct('kekId')).toEqual(['k2']);
      expect(await collection(t, 'files').distinct('encryption.kekId')).toEqual(['k2']);
      expect(await collection(t, 'mfa_totp_factors').distinct('kekId')).toEqual(['k2']);
      expect(await collection(t, 'resumable_uploads').distinct('encryption.kekId')).toEqual(['k2']);
      const blobsAfter = await Promise.all(
        [...files.keys()].map(async (id) =>
          readFile(blobPath(t, (await record(t, id)).storageKey)),
        ),
      );
      blobsAfter.forEach((blob, index) => expect(blob.equals(blobsBefore[index])).toBe(true));
      await expectAllDownload(t);
      await eventually(
        () =>
          collection(t, 'audit_events').findOne({
            type: 'keys_rotated',
            'details.rewrapped': sealed,
          }),
        'the keys_rotated event',
      );
    }, 180_000);

    it('a second run finds nothing left to do; a key that cannot unwrap is reported, not fatal', async () => {
      const rotation = t.app.get(KeyRotation);
      expect(await rotation.rotate()).toMatchObject({ rewrapped: 0, total: 0, failed: 0 });

      const [firstId] = files.keys();
      const orphanId = new Types.ObjectId();
      const original = await record(t, firstId);
      await collection(t, 'files').insertOne({
        ...original,
        _id: orphanId,
        storageKey: `f/zz/zz/${orphanId.toHexString()}`,
        encryption: { ...original.encryption, kekId: 'gone' },
      });
      const progress: number[] = [];
      const report = await rotation.rotate((step) =>
        progress.push(step.rewrapped + step.skipped + step.failed),
      );
      expect(report).toMatchObject({ currentKeyId: 'k2', rewrapped: 0, failed: 1, total: 1 });
      expect(progress).toEqual([1]);
      await eventually(
        () => collection(t, 'audit_events').findOne({ type: 'keys_rotated', outcome: 'failure' }),
        'a failed keys_rotated event',
      );
      await collection(t, 'files').deleteOne({ _id: orphanId });
    });
  });

  describe('after the old key is removed (ENCRYPTION_KEYS=k2)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith(k2, false);
    });
    afterAll(() => t.close());

    it('every file still downloads', async () => {
      await expectAllDownload(t);
    });

    it('the second factor still signs in, and the unfinished upload completes and reads back', async () => {
      const mfaToken = await passwordStep(t, factorOwner);
      await verifyCode(t, mfaToken, totpCode(factor.secret)).expect(200);

      const alice = await signedIn(t);
      const completed = await tusPatch(t, alice, CHUNK, unfinished.data.subarray(CHUNK)).expect(
        204,
      );
      const fileId = completed.headers['strongroom-file-id'];
      expect(sha256(await downloadContent(t, alice, fileId))).toBe(sha256(unfinished.data));
    });
  });
});

describe('encryption at rest (S3 driver, MinIO)', () => {
  let t: TestApp;

  beforeAll(async () => {
    const server = testS3Server();
    t = await createTestApp({
      env: {
        ENCRYPTION_KEYS: k1,
        STORAGE_DRIVER: 's3',
        S3_BUCKET: server.bucket,
        S3_REGION: server.region,
        S3_ENDPOINT: server.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
  });
  afterAll(() => t.close());

  it('the bucket holds ciphertext only, and downloads and ranges give the plaintext', async () => {
    const server = testS3Server();
    const alice = await signUp(t, 's3');
    const plaintext = document(2 * CHUNK + 77);
    const id = (await upload(t, alice, plaintext).expect(201)).body.id as string;
    const client = new S3Client({
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    });
    const object = await client.send(
      new GetObjectCommand({ Bucket: server.bucket, Key: (await record(t, id)).storageKey }),
    );
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    client.destroy();
    expect(stored.length).toBe(plaintext.length + 3 * TAG);
    expect(sharesARunOf32(stored, plaintext)).toBe(false);

    expect(((await download(t, alice, id).expect(200)).body as Buffer).equals(plaintext)).toBe(
      true,
    );
    const start = CHUNK - 3;
    const end = 2 * CHUNK + 5;
    const ranged = await download(t, alice, id, `bytes=${start}-${end}`).expect(206);
    expect((ranged.body as Buffer).equals(plaintext.subarray(start, end + 1))).toBe(true);
  });
});
