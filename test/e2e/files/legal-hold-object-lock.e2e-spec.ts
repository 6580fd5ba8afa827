import {
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { Types } from 'mongoose';
import { testGcsServer } from '@strongroom/testing';
import { FileSweeper } from '@strongroom/files';
import { type Account, ADMIN_ENV, collection, firstAdmin, signUp } from '../../support/accounts';
import { fakeGcsStorageEnv, minioStorageEnv } from '../../support/backup';
import { downloadContent, upload } from '../../support/files';
import { createObjectLockBucket, testS3Client } from '../../support/s3';
import { createTestApp, type TestApp } from '../../support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('legal hold on S3 with Object Lock (MinIO)', () => {
  let t: TestApp;
  let s3: S3Client;
  let bucket: string;
  let admin: Account;
  let owner: Account;

  beforeAll(async () => {
    bucket = await createObjectLockBucket('hold-lock');
    s3 = testS3Client();
    t = await createTestApp({
      env: { ...ADMIN_ENV, ...minioStorageEnv(), S3_BUCKET: bucket, S3_OBJECT_LOCK: 'true' },
    });
    admin = await firstAdmin(t);
    owner = await signUp(t, 'lock-owner');
  });
  afterAll(async () => {
    s3.destroy();
    await t.close();
  });

  const as = (account: Account) => ({ Authorization: account.bearer });
  const storageKeyOf = async (id: string) =>
    (await collection(t, 'files').findOne({ _id: new Types.ObjectId(id) }))!.storageKey as string;
  const versionsOf = async (key: string) => {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter(
      (version) => version.Key === key,
    );
  };
  const legalHoldOf = async (key: string) =>
    (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: key }))).LegalHold?.Status;
  const hold = (id: string, reason = 'Preserve for audit 2026') =>
    t.http().put(`/api/v1/files/${id}/hold`).set(as(admin)).send({ reason }).expect(200);

  it('a hold is set on the object, which then refuses deletion itself; released, the file goes for good', async () => {
    const data = Buffer.from('board minutes, held');
    const id = (await upload(t, owner, data, 'minutes.txt').expect(201)).body.id as string;
    const key = await storageKeyOf(id);
    await hold(id);
    expect(await legalHoldOf(key)).toBe('ON');

    // Straight through the SDK, past the app: the bucket itself refuses to delete the version.
    const [version] = await versionsOf(key);
    const refused = await s3
      .send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(refused?.name).toMatch(/^(InvalidRequest|AccessDenied)$/);
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

    await t.http().delete(`/api/v1/files/${id}`).set(as(owner)).expect(409);
    expect(await downloadContent(t, owner, id)).toEqual(data);

    await t.http().delete(`/api/v1/files/${id}/hold`).set(as(admin)).expect(204);
    expect(await legalHoldOf(key)).toBe('OFF');
    await t.http().delete(`/api/v1/files/${id}`).set(as(owner)).expect(204);
    expect(await versionsOf(key)).toEqual([]);
  });

  it('the sweeper keeps a held object whose record is gone, and says so', async () => {
    const id = (await upload(t, owner, Buffer.from('orphaned but held'), 'held.bin').expect(201))
      .body.id as string;
    const key = await storageKeyOf(id);
    await hold(id);
    await collection(t, 'files').deleteOne({ _id: new Types.ObjectId(id) });

    const report = await t.app.get(FileSweeper).sweep();

    expect(report.held).toBe(1);
    expect(report.orphanBlobs).toBe(0);
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  });

  it("a new upload gets the retention of its owner's group on the object", async () => {
    const member = await signUp(t, 'lock-member');
    const group = await t
      .http()
      .post('/api/v1/groups')
      .set(as(admin))
      .send({ name: `Records ${Date.now()}`, retentionDays: 1 })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/groups/${group.body.id}/members`)
      .set(as(admin))
      .send({ email: member.email })
      .expect(201);
    const res = await upload(t, member, Buffer.from('kept a day'), 'receipt.pdf').expect(201);
    const key = await storageKeyOf(res.body.id as string);

    const { Retention } = await s3.send(
      new GetObjectRetentionCommand({ Bucket: bucket, Key: key }),
    );
    expect(Retention?.Mode).toBe('GOVERNANCE');
    const expected = new Date(res.body.uploadedAt as string).getTime() + DAY_MS;
    expect(Math.abs(Retention!.RetainUntilDate!.getTime() - expected)).toBeLessThan(5_000);
    await t.http().delete(`/api/v1/files/${res.body.id}`).set(as(member)).expect(409);
  });
});

describe('legal hold on GCS (fake-gcs-server, which stores holds but does not enforce them)', () => {
  let t: TestApp;
  let admin: Account;
  let owner: Account;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...ADMIN_ENV, ...fakeGcsStorageEnv() } });
    admin = await firstAdmin(t);
    owner = await signUp(t, 'gcs-hold-owner');
  });
  afterAll(() => t.close());

  const objectMetadata = async (id: string) => {
    const server = testGcsServer();
    const record = await collection(t, 'files').findOne({ _id: new Types.ObjectId(id) });
    const storage = new Storage({ apiEndpoint: server.endpoint, projectId: 'test' });
    const [metadata] = await storage
      .bucket(server.bucket)
      .file(record!.storageKey as string)
      .getMetadata();
    return metadata;
  };

  it('the app refuses the delete and the object carries the hold in its metadata', async () => {
    const id = (await upload(t, owner, Buffer.from('held on gcs'), 'gcs.txt').expect(201)).body
      .id as string;
    await t
      .http()
      .put(`/api/v1/files/${id}/hold`)
      .set('Authorization', admin.bearer)
      .send({ reason: 'Subpoena 12' })
      .expect(200);
    expect((await objectMetadata(id)).metadata).toMatchObject({ 'strongroom-legal-hold': 'on' });
    const refused = await t
      .http()
      .delete(`/api/v1/files/${id}`)
      .set('Authorization', owner.bearer)
      .expect(409);
    expect(refused.body.message).toContain('"Subpoena 12"');

    await t
      .http()
      .delete(`/api/v1/files/${id}/hold`)
      .set('Authorization', admin.bearer)
      .expect(204);
    expect((await objectMetadata(id)).metadata).toMatchObject({ 'strongroom-legal-hold': 'off' });
    await t.http().delete(`/api/v1/files/${id}`).set('Authorization', owner.bearer).expect(204);
  });
});
