import { Types } from 'mongoose';
import { access, mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileSweeper } from '@strongroom/files';
import { STORAGE_PROVIDER, type StorageProvider } from '@strongroom/storage';
import { collection, signUp } from '../../support/accounts';
import { storedBlobs, upload } from '../../support/files';
import { metricValue } from '../../support/metrics';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('FileSweeper', () => {
  let t: TestApp;
  let storage: StorageProvider;
  beforeAll(async () => {
    t = await createTestApp();
    storage = t.app.get(STORAGE_PROVIDER);
  });
  afterAll(() => t.close());

  const pendingRecord = async (ageMs: number) => {
    const id = new Types.ObjectId();
    const storageKey = `f/${id.toHexString().slice(-2)}/${id.toHexString().slice(-4, -2)}/${id.toHexString()}`;
    await storage.write(storageKey, Readable.from([Buffer.from('half an upload')]));
    await collection(t, 'files').insertOne({
      _id: id,
      uploader: new Types.ObjectId(),
      name: 'crashed.bin',
      size: 0,
      contentType: 'application/octet-stream',
      storageDriver: 'local',
      storageKey,
      status: 'pending',
      createdAt: new Date(Date.now() - ageMs),
      uploadedAt: new Date(Date.now() - ageMs),
    });
    return { id, storageKey };
  };

  it('removes stale pending uploads and orphan blobs, and keeps everything else', async () => {
    const owner = await signUp(t, 'keeper');
    const kept = await upload(t, owner, Buffer.from('keep me')).expect(201);
    const stale = await pendingRecord(2 * 60 * 60 * 1000);
    const inProgress = await pendingRecord(10 * 1000);
    await storage.write('f/zz/zz/orphan', Readable.from([Buffer.from('no record')]));

    const report = await t.app.get(FileSweeper).sweep();

    expect(report).toEqual({ stalePending: 1, orphanBlobs: 1, temporaries: 0, held: 0 });
    expect(await collection(t, 'files').countDocuments({ _id: stale.id })).toBe(0);
    expect(await collection(t, 'files').countDocuments({ _id: inProgress.id })).toBe(1);
    const blobs = await storedBlobs(t);
    expect(blobs.some((blob) => blob.includes(stale.id.toHexString()))).toBe(false);
    expect(blobs.some((blob) => blob.includes(inProgress.id.toHexString()))).toBe(true);
    expect(blobs.some((blob) => blob.includes('orphan'))).toBe(false);
    await t
      .http()
      .get(`/api/v1/files/${kept.body.id}/content`)
      .set('Authorization', owner.bearer)
      .expect(200);
    expect(await t.app.get(FileSweeper).sweep()).toEqual({
      stalePending: 0,
      orphanBlobs: 0,
      temporaries: 0,
      held: 0,
    });
  });

  it('removes the temp file of an upload killed mid-write once older than TEMP_OBJECT_MAX_AGE', async () => {
    const folder = path.join(t.config.storage.local.path, 'f', 'ab', 'cd');
    await mkdir(folder, { recursive: true });
    // What the local driver leaves when the process dies between its first byte and the rename.
    const leftover = async (ageMs: number) => {
      const file = path.join(folder, `.tmp-${new Types.ObjectId().toHexString()}`);
      await writeFile(file, 'half an upload');
      const then = new Date(Date.now() - ageMs);
      await utimes(file, then, then);
      return file;
    };
    const stale = await leftover(t.config.storage.tempObjectMaxAgeMs + 60_000);
    const young = await leftover(60_000);
    const series = 'storage_temporaries_swept_total{driver="local"}';
    const before = await metricValue(t, series);

    const report = await t.app.get(FileSweeper).sweep();

    expect(report.temporaries).toBe(1);
    await expect(access(stale)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(access(young)).resolves.toBeUndefined();
    expect((await metricValue(t, series)) - before).toBe(1);
  });
});
