import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import type { RawEnvironment } from '@strongroom/config';
import { testGcsServer, testS3Server } from '@strongroom/testing';
import { UploadExpirySweeper } from '@strongroom/uploads';
import { type Account, collection, signUp } from '../../support/accounts';
import { downloadContent, sha256 } from '../../support/files';
import { interruptedPatch, tusOffset, tusOptions, tusUpload, uploadPath } from '../../support/tus';
import { createTestApp, type TestApp } from '../../support/test-app';

const MiB = 1024 * 1024;

interface CloudDriver {
  name: string;
  env: () => RawEnvironment;
  /**
   * Plaintext per stored part when the first PATCH declares two of them: whole 1 MiB chunks,
   * enough for the driver's minimum part.
   */
  partPlaintext: number;
  /** What the driver still holds for an unfinished upload (S3 multipart uploads, GCS parts). */
  leftovers: (uploadId: string) => Promise<unknown[]>;
  /** The receipt the upload record keeps for a part. */
  receipt: RegExp;
}

const fileKey = (id: string) => `f/${id.slice(-2)}/${id.slice(-4, -2)}/${id}`;

const s3: CloudDriver = {
  name: 's3 (MinIO)',
  env: () => {
    const server = testS3Server();
    return {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: server.bucket,
      S3_REGION: server.region,
      S3_ENDPOINT: server.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
    };
  },
  // Five sealed 1 MiB chunks: the smallest part S3 takes (5 MiB) made of whole chunks.
  partPlaintext: 5 * MiB,
  leftovers: async (id) => {
    const server = testS3Server();
    const client = new S3Client({
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    });
    const listed = await client.send(
      new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: fileKey(id) }),
    );
    return listed.Uploads ?? [];
  },
  receipt: /^"[0-9a-f]{32}"$/,
};

const gcs: CloudDriver = {
  name: 'gcs (fake-gcs-server)',
  env: () => {
    const server = testGcsServer();
    return {
      STORAGE_DRIVER: 'gcs',
      GCS_BUCKET: server.bucket,
      GCS_PROJECT_ID: 'test',
      GCS_API_ENDPOINT: server.endpoint,
    };
  },
  partPlaintext: MiB,
  leftovers: async (id) => {
    const server = testGcsServer();
    const storage = new Storage({ apiEndpoint: server.endpoint, projectId: 'test' });
    const [files] = await storage.bucket(server.bucket).getFiles({ prefix: `uploads/${id}/` });
    return files;
  },
  receipt: /^uploads\/[0-9a-f]{24}\/1$/,
};

describe.each([s3, gcs])('tus on the $name driver', (driver) => {
  let t: TestApp;
  let baseUrl: string;
  let alice: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...driver.env(), MAX_FILE_SIZE: '64MB' } });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    alice = await signUp(t, 'tus-cloud');
  });
  afterAll(() => t.close());

  const uploadRecord = (id: string) =>
    collection(t, 'resumable_uploads').findOne({ _id: new Types.ObjectId(id) });
  const storageUsed = async () =>
    (await collection(t, 'users').findOne({ email: alice.email }))?.storageUsed as number;

  async function createUpload(length: number): Promise<{ url: string; id: string }> {
    const res = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(length))
      .expect(201);
    const path = uploadPath(res.headers.location);
    return { url: `${baseUrl}${path}`, id: path.split('/').pop()! };
  }

  it('stores whole parts with their receipts, resumes after a dropped PATCH, completes atomically', async () => {
    const part = driver.partPlaintext;
    const data = randomBytes(2 * part + 3 * MiB + 99);
    const { url, id } = await createUpload(data.length);

    await interruptedPatch(url, alice, data.subarray(0, 2 * part), part + MiB / 2, part);
    expect(await tusOffset(url, alice)).toBe(part);
    const record = await uploadRecord(id);
    expect(record?.parts).toHaveLength(1);
    expect(record?.parts[0]).toMatch(driver.receipt);

    const { fileId } = await tusUpload(data, tusOptions(baseUrl, alice, { uploadUrl: url }));
    expect(fileId).toBe(id);
    expect(sha256(await downloadContent(t, alice, fileId))).toBe(sha256(data));
    const file = await collection(t, 'files').findOne({ _id: new Types.ObjectId(fileId) });
    expect(file).toMatchObject({ status: 'ready', sha256: sha256(data), size: data.length });
    expect(await driver.leftovers(id)).toEqual([]);
  });

  it('stores every PATCH of one size whole, whatever the minimum part: none is sent twice', async () => {
    const data = randomBytes(2 * 8 * MiB + MiB + 5);
    const { url, id } = await createUpload(data.length);
    const patch = (offset: number, body: Buffer) =>
      t
        .http()
        .patch(new URL(url).pathname)
        .set('Authorization', alice.bearer)
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Offset', String(offset))
        .set('Content-Type', 'application/offset+octet-stream')
        .send(body)
        .expect(204);

    for (const offset of [0, 8 * MiB]) {
      const res = await patch(offset, data.subarray(offset, offset + 8 * MiB));
      expect(Number(res.headers['upload-offset'])).toBe(offset + 8 * MiB);
    }
    const last = await patch(16 * MiB, data.subarray(16 * MiB));
    expect(last.headers['strongroom-file-id']).toBe(id);
    expect(sha256(await downloadContent(t, alice, id))).toBe(sha256(data));
  });

  it('DELETE removes what the upload stored and returns the reserved quota', async () => {
    const before = await storageUsed();
    const data = randomBytes(2 * driver.partPlaintext);
    const { url, id } = await createUpload(data.length);
    await interruptedPatch(url, alice, data, driver.partPlaintext + MiB / 2, driver.partPlaintext);
    expect(await driver.leftovers(id)).toHaveLength(1);

    await t
      .http()
      .delete(new URL(url).pathname)
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .expect(204);
    expect(await driver.leftovers(id)).toEqual([]);
    expect(await storageUsed()).toBe(before);
  });

  it('sweeps an expired upload: what it stored goes, and its reserved quota returns', async () => {
    const before = await storageUsed();
    const data = randomBytes(2 * driver.partPlaintext);
    const { url, id } = await createUpload(data.length);
    await interruptedPatch(url, alice, data, driver.partPlaintext + MiB / 2, driver.partPlaintext);
    expect(await driver.leftovers(id)).toHaveLength(1);

    const sweeper = t.app.get(UploadExpirySweeper);
    expect(await sweeper.sweep(new Date(Date.now() + 25 * 3600_000))).toBeGreaterThanOrEqual(1);
    expect(await driver.leftovers(id)).toEqual([]);
    expect(await storageUsed()).toBe(before);
    expect(await uploadRecord(id)).toBeNull();
  });
});
