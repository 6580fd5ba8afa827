import { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '@strongroom/config';
import type { ResumableStorage } from '@strongroom/storage';
import { TusDataStore } from './tus.data-store';
import { UploadDigestCache } from './upload-digest.cache';
import { runAsUploader, type Uploader } from './uploader-context';

const CHUNK = 1024;

/** A query whose answer the test decides. */
const query = <T>(answer: Promise<T>) => ({ exec: () => answer });

describe('TusDataStore.write', () => {
  it('goes on storing parts while a checkpoint waits for the database', async () => {
    const id = new Types.ObjectId();
    const record = {
      _id: id,
      id: id.toHexString(),
      owner: new Types.ObjectId(),
      length: 4 * CHUNK,
      offset: 0,
      nextChunk: 0,
      chunksPerPart: 1,
      parts: [] as string[],
      committed: false,
      status: 'receiving',
      storageState: {},
      encryption: { chunkSize: CHUNK },
      expiresAt: new Date(Date.now() + 60_000),
    };
    let releaseDatabase!: () => void;
    const database = new Promise<void>((resolve) => (releaseDatabase = resolve));
    const uploads = {
      findOne: () => query(Promise.resolve(record)),
      findOneAndUpdate: () => query(Promise.resolve(record)),
      updateOne: () => query(database.then(() => ({ modifiedCount: 1 }))),
    };
    const stored: number[] = [];
    const storage: ResumableStorage = {
      minPartBytes: 0,
      maxParts: 100,
      begin: () => Promise.resolve({}),
      writePart: (_target, part) => {
        stored.push(part.number);
        return Promise.resolve('');
      },
      flush: () => Promise.resolve(),
      commit: () => Promise.resolve(),
      discard: () => Promise.resolve(),
    };
    const store = new TusDataStore(
      { uploads: { expiryMs: 60_000 } } as AppConfig,
      uploads as never,
      storage,
      { keyOf: () => 'key', countBytes: () => undefined } as never,
      {} as never,
      {
        sealer: () => Promise.resolve({ seal: (_i: number, _l: boolean, b: Buffer) => [b] }),
      } as never,
      {} as never,
      new UploadDigestCache(),
    );
    // Three of the four chunks, the third after a checkpoint is due: the upload is not complete.
    async function* body() {
      yield Buffer.alloc(CHUNK);
      await sleep(400);
      yield Buffer.alloc(2 * CHUNK);
      await sleep(50);
    }
    const uploader = { user: { id: record.owner.toHexString() }, client: {} } as Uploader;

    const written = runAsUploader(uploader, () => store.write(body(), record.id, 0));
    await sleep(500);
    const storedMeanwhile = [...stored];
    releaseDatabase();
    await expect(written).resolves.toBe(3 * CHUNK);
    expect(storedMeanwhile).toEqual([1, 2, 3]);
  });
});
