import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { DEFAULT_CHUNK_SIZE, KeyRotation } from '@strongroom/encryption';
import { createTempDir, type TempDir } from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { runCli } from '../../support/cli';
import { downloadContent, downloadRange, sha256, storedBlobs, upload } from '../../support/files';
import { awsKmsEnv, startKms, type TestKms } from '../../support/kms';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const SECRET_KEY = randomBytes(32).toString('hex');
const UNWRAPS_OK =
  'key_service_calls_total{provider="aws-kms",operation="unwrap",outcome="success"}';
const CACHE_HITS = 'data_key_cache_lookups_total{result="hit"}';
const CACHE_TTL_MS = 3_000;
const KMS_DOWN =
  'The key service (KMS) is unavailable, so files cannot be encrypted or decrypted now; try again shortly';

/** moto takes any credentials; the CLI child gets only the environment it is given. */
const CLI_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'moto', AWS_SECRET_ACCESS_KEY: 'moto' };

describe('data keys wrapped by AWS KMS (KEY_PROVIDER=aws-kms, moto_server)', () => {
  let kms: TestKms;
  let keyArn: string;
  let t: TestApp;
  let alice: Account;
  let cliDataDir: TempDir;
  const files = new Map<string, Buffer>();

  const keysOfFiles = async () =>
    (await collection(t, 'files')
      .find({}, { projection: { encryption: 1 } })
      .toArray()) as unknown as { encryption: { keyProvider?: string; kekId: string } }[];

  const expectEveryFileDownloads = async () => {
    for (const [id, data] of files) {
      expect(sha256(await downloadContent(t, alice, id))).toBe(sha256(data));
    }
  };

  const rotateKeys = (env: Record<string, string>) =>
    runCli(['rotate-keys'], {
      MONGO_URL: t.config.database.url!,
      ENCRYPTION_KEYS: k1,
      SECRET_KEY,
      DATA_DIR: cliDataDir.path,
      FILE_STORAGE_PATH: t.config.storage.local.path,
      ...CLI_CREDENTIALS,
      ...env,
    });

  beforeAll(async () => {
    kms = await startKms();
    keyArn = await kms.createKey();
    cliDataDir = await createTempDir('kms-rotation-cli');
    t = await createTestApp({
      env: {
        ENCRYPTION_KEYS: k1,
        SECRET_KEY,
        ...awsKmsEnv(kms, keyArn, { AWS_KMS_TIMEOUT: '1s', KEY_CACHE_TTL: `${CACHE_TTL_MS}ms` }),
      },
    });
    alice = await signUp(t, 'kms');
  });
  afterAll(async () => {
    await t.close();
    await cliDataDir.remove();
    await kms.remove();
  });

  it('stores each new file with a data key from KMS, named beside it, and reads it back whole and by range', async () => {
    for (const size of [0, 10, DEFAULT_CHUNK_SIZE + 1, 2 * DEFAULT_CHUNK_SIZE + 7]) {
      const data = randomBytes(size);
      const res = await upload(t, alice, data).expect(201);
      expect(res.body.sha256).toBe(sha256(data));
      files.set(res.body.id as string, data);
    }
    for (const { encryption } of await keysOfFiles()) {
      expect(encryption).toMatchObject({ keyProvider: 'aws-kms', kekId: keyArn });
    }
    await expectEveryFileDownloads();

    const [id, data] = [...files].at(-1)!;
    const ranged = await downloadRange(
      t,
      alice,
      id,
      `bytes=${DEFAULT_CHUNK_SIZE - 5}-${DEFAULT_CHUNK_SIZE + 4}`,
    ).expect(206);
    expect(
      (ranged.body as Buffer).equals(data.subarray(DEFAULT_CHUNK_SIZE - 5, DEFAULT_CHUNK_SIZE + 5)),
    ).toBe(true);
  });

  it('answers a run of range requests from the data-key cache, calling KMS at most once', async () => {
    const [id, data] = [...files].at(-1)!;
    const unwrapsBefore = await metricValue(t, UNWRAPS_OK);
    const hitsBefore = await metricValue(t, CACHE_HITS);
    for (let start = 0; start < 5; start += 1) {
      const from = start * 1000;
      const res = await downloadRange(t, alice, id, `bytes=${from}-${from + 99}`).expect(206);
      expect((res.body as Buffer).equals(data.subarray(from, from + 100))).toBe(true);
    }
    expect((await metricValue(t, UNWRAPS_OK)) - unwrapsBefore).toBeLessThanOrEqual(1);
    expect((await metricValue(t, CACHE_HITS)) - hitsBefore).toBeGreaterThanOrEqual(4);
  });

  it('rotate-keys moves every data key to local and back to aws-kms; every file still downloads', async () => {
    const toLocal = await rotateKeys({
      KEY_PROVIDER: 'local',
      AWS_KMS_KEY_ID: keyArn,
      AWS_KMS_REGION: awsKmsEnv(kms, keyArn).AWS_KMS_REGION,
      AWS_KMS_ENDPOINT: kms.endpoint,
    });
    expect(toLocal.stderr).toBe('');
    expect(toLocal.status).toBe(0);
    expect(toLocal.stdout).toContain(`re-wrapped ${files.size} sealed keys under key 'k1' (`);
    expect(toLocal.stdout).toContain(` ${files.size} file data keys,`);
    for (const { encryption } of await keysOfFiles()) {
      expect(encryption).toMatchObject({ keyProvider: 'local', kekId: 'k1' });
    }
    await expectEveryFileDownloads();

    const toKms = await rotateKeys(awsKmsEnv(kms, keyArn));
    expect(toKms.stderr).toBe('');
    expect(toKms.status).toBe(0);
    expect(toKms.stdout).toContain(
      `re-wrapped ${files.size} sealed keys under aws-kms key '${keyArn}' (`,
    );
    expect(toKms.stdout).toContain(` ${files.size} file data keys,`);
    for (const { encryption } of await keysOfFiles()) {
      expect(encryption).toMatchObject({ keyProvider: 'aws-kms', kekId: keyArn });
    }
    await expectEveryFileDownloads();

    // Finding what is left by provider and key: nothing, the next run does nothing.
    expect(await t.app.get(KeyRotation).rotate()).toMatchObject({
      currentProvider: 'aws-kms',
      currentKeyId: keyArn,
      total: 0,
    });
  }, 240_000);

  it('refuses a wrapped key copied onto another record: KMS checks the record id', async () => {
    const [id] = files.keys();
    const original = await collection(t, 'files').findOne({ _id: new Types.ObjectId(id) });
    const copyId = new Types.ObjectId();
    await collection(t, 'files').insertOne({
      ...original,
      _id: copyId,
      storageKey: `${original!.storageKey as string}-copy`,
    });
    const res = await t
      .http()
      .get(`/api/v1/files/${copyId.toHexString()}/content`)
      .set('Authorization', alice.bearer)
      .expect(500);
    expect(res.body.message).toMatch(/failed its integrity check/);
    await collection(t, 'files').deleteOne({ _id: copyId });
  });

  it('readiness reports the key service up while KMS answers', async () => {
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.details.keyService).toEqual({ status: 'up', provider: 'aws-kms' });
  });

  it('with KMS down, uploads and downloads answer 503 saying so, nothing is kept, and readiness reports it', async () => {
    await kms.stop();
    const blobs = await storedBlobs(t);
    const refused = await upload(t, alice, randomBytes(1000)).expect(503);
    expect(refused.body.message).toBe(KMS_DOWN);
    const resumable = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', '1000')
      .expect(503);
    expect(resumable.body.message).toBe(KMS_DOWN);
    expect(await storedBlobs(t)).toEqual(blobs);
    expect(await collection(t, 'files').countDocuments({ status: 'pending' })).toBe(0);
    expect(await collection(t, 'resumable_uploads').countDocuments()).toBe(0);

    // Until the cached keys have expired, files read lately still open: that is the cache's job.
    await sleep(CACHE_TTL_MS + 500);
    const [id] = files.keys();
    const download = await t
      .http()
      .get(`/api/v1/files/${id}/content`)
      .set('Authorization', alice.bearer)
      .expect(503);
    expect(download.body.message).toBe(KMS_DOWN);

    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.details.keyService).toEqual({
      status: 'down',
      provider: 'aws-kms',
      message: 'the key service (KMS) does not answer, so files cannot be stored or read',
    });
  });
});
