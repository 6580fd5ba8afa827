import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { testS3Server } from '@strongroom/testing';
import { type Account, collection, signUp } from '../../support/accounts';
import { sha256 } from '../../support/files';
import { interruptedPatch, tusOffset, tusOptions, tusUpload } from '../../support/tus';
import { createTestApp, type TestApp } from '../../support/test-app';

const MiB = 1024 * 1024;
/** Five sealed 1 MiB chunks: the smallest part S3 takes (5 MiB) made of whole chunks. */
const PART_PLAINTEXT = 5 * MiB;

describe('tus on the S3 driver (MinIO): multipart parts', () => {
  const server = testS3Server();
  const s3 = new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
  });
  let t: TestApp;
  let baseUrl: string;
  let alice: Account;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: server.bucket,
        S3_REGION: server.region,
        S3_ENDPOINT: server.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        MAX_FILE_SIZE: '64MB',
      },
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    alice = await signUp(t, 'tus-s3');
  });
  afterAll(() => t.close());

  const uploadRecord = (id: string) =>
    collection(t, 'resumable_uploads').findOne({ _id: new Types.ObjectId(id) });
  const openMultipartUploads = async (key: string) =>
    (await s3.send(new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: key })))
      .Uploads ?? [];

  async function createUpload(length: number): Promise<{ url: string; id: string }> {
    const res = await t
      .http()
      .post('/api/v1/uploads')
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(length))
      .expect(201);
    const path = res.headers.location;
    return { url: `${baseUrl}${path}`, id: path.split('/').pop()! };
  }

  it('stores whole 5 MiB parts with their ETags, resumes after a dropped PATCH, completes atomically', async () => {
    const data = randomBytes(2 * PART_PLAINTEXT + 3 * MiB + 99);
    const { url, id } = await createUpload(data.length);
    const key = (await uploadRecord(id))?.storageState;
    expect(key).toHaveProperty('multipartId');

    await interruptedPatch(url, alice, data, PART_PLAINTEXT + 2 * MiB, PART_PLAINTEXT);
    const offset = await tusOffset(url, alice);
    expect(offset).toBe(PART_PLAINTEXT);
    const record = await uploadRecord(id);
    expect(record?.parts).toHaveLength(1);
    expect(record?.parts[0]).toMatch(/^"[0-9a-f]{32}"$/);

    const { fileId } = await tusUpload(data, tusOptions(baseUrl, alice, { uploadUrl: url }));
    expect(fileId).toBe(id);
    const content = await t
      .http()
      .get(`/api/v1/files/${fileId}/content`)
      .set('Authorization', alice.bearer)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(sha256(content.body as Buffer)).toBe(sha256(data));
    const file = await collection(t, 'files').findOne({ _id: new Types.ObjectId(fileId) });
    expect(file).toMatchObject({ status: 'ready', sha256: sha256(data), size: data.length });
    expect(await openMultipartUploads(file?.storageKey as string)).toEqual([]);
  });

  it('DELETE aborts the multipart upload and returns the reserved quota', async () => {
    const before = (await collection(t, 'users').findOne({ email: alice.email }))?.storageUsed;
    const data = randomBytes(PART_PLAINTEXT + MiB);
    const { url, id } = await createUpload(data.length);
    await interruptedPatch(url, alice, data, PART_PLAINTEXT + 512 * 1024, PART_PLAINTEXT);
    const key = `f/${id.slice(-2)}/${id.slice(-4, -2)}/${id}`;
    expect(await openMultipartUploads(key)).toHaveLength(1);

    await t
      .http()
      .delete(new URL(url).pathname)
      .set('Authorization', alice.bearer)
      .set('Tus-Resumable', '1.0.0')
      .expect(204);
    expect(await openMultipartUploads(key)).toEqual([]);
    const after = (await collection(t, 'users').findOne({ email: alice.email }))?.storageUsed;
    expect(after).toBe(before);
  });
});
