import { Types } from 'mongoose';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '@strongroom/config';
import type { PartPlacement, ResumableStorage } from '@strongroom/storage';
import { TusDataStore } from './tus.data-store';
import { UploadDigestCache } from './upload-digest.cache';
import { runAsUploader, type Uploader } from './uploader-context';

const CHUNK = 1024;
/** A sealed chunk's length in storage: its ciphertext and 16-byte tag. */
const SEALED = CHUNK + 16;

/** A query whose answer the test decides. */
const query = <T>(answer: Promise<T>) => {
  const built = { exec: () => answer, lean: () => built };
  return built;
};

/**
 * A TusDataStore over one upload record of `chunks` chunks in parts of `chunksPerPart`, the first
 * `storedParts` of them stored already (so the part size is fixed), a database
 * whose updates wait for `database`, and storage whose parts `writePart` stores; the sealer
 * passes the plaintext through.
 */
function storeOver(options: {
  chunks: number;
  chunksPerPart: number;
  storedParts?: number;
  writePart: (part: PartPlacement, data: Readable) => Promise<string>;
  database?: Promise<void>;
  keepsReceipts?: boolean;
}) {
  const id = new Types.ObjectId();
  const storedParts = options.storedParts ?? 0;
  const record = {
    _id: id,
    id: id.toHexString(),
    owner: new Types.ObjectId(),
    length: options.chunks * CHUNK,
    offset: storedParts * options.chunksPerPart * CHUNK,
    nextChunk: storedParts * options.chunksPerPart,
    chunksPerPart: options.chunksPerPart,
    parts: Array.from({ length: storedParts }, (_, part) => `etag-${part + 1}`),
    committed: false,
    status: 'receiving',
    storageState: {},
    encryption: { chunkSize: CHUNK },
    expiresAt: new Date(Date.now() + 60_000),
  };
  const database = options.database ?? Promise.resolve();
  const updates: Record<string, unknown>[] = [];
  const uploads = {
    findOne: () => query(Promise.resolve(record)),
    findOneAndUpdate: () => query(Promise.resolve({ ...record })),
    updateOne: (_filter: unknown, update: Record<string, unknown>) => {
      updates.push(update);
      return query(database.then(() => ({ modifiedCount: 1 })));
    },
  };
  const storage: ResumableStorage = {
    minPartBytes: 0,
    maxParts: 100,
    keepsReceipts: options.keepsReceipts ?? true,
    begin: () => Promise.resolve({}),
    writePart: (_target, part, data) => options.writePart(part, data),
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
      // Its output is new memory, as a cipher's is.
      sealer: () =>
        Promise.resolve({ seal: (_i: number, _l: boolean, b: Buffer) => [Buffer.from(b)] }),
    } as never,
    {} as never,
    new UploadDigestCache(),
  );
  const uploader = { user: { id: record.owner.toHexString() }, client: {} } as Uploader;
  /** A creation's first bytes, through tus's handler. */
  const write = (body: AsyncIterable<Buffer>, bodyLength?: number) =>
    runAsUploader({ ...uploader, bodyLength }, () => store.write(body, record.id, record.offset));
  /** A PATCH whose request stream, like a socket's, buffers up to a chunk ahead. */
  const patch = async (body: AsyncIterable<Buffer>, bodyLength?: number) => {
    const request = Readable.from(body, { objectMode: false, highWaterMark: CHUNK });
    const outcome = await runAsUploader({ ...uploader, bodyLength }, () =>
      store.append(record.id, record.offset, request, bodyLength),
    );
    return outcome.offset;
  };
  return { write, patch, updates };
}

/** Reads a part whole, as a driver storing it would. */
async function drain(data: Readable): Promise<number> {
  let bytes = 0;
  for await (const piece of data as AsyncIterable<Buffer>) bytes += piece.length;
  return bytes;
}

/** An upload of 20 chunks in parts of 4, its first part stored; notes each part storage starts. */
function partlyStoredUpload() {
  const started: number[] = [];
  const store = storeOver({
    chunks: 20,
    chunksPerPart: 4,
    storedParts: 1,
    writePart: async (part, data) => {
      started.push(part.number);
      await drain(data);
      return `etag-${part.number}`;
    },
  });
  return { started, ...store };
}

describe('TusDataStore.write', () => {
  it('goes on storing parts while a checkpoint waits for the database', async () => {
    let releaseDatabase!: () => void;
    const database = new Promise<void>((resolve) => (releaseDatabase = resolve));
    const stored: number[] = [];
    const { write } = storeOver({
      chunks: 4,
      chunksPerPart: 1,
      database,
      writePart: async (part, data) => {
        await drain(data);
        stored.push(part.number);
        return '';
      },
    });
    // Three of the four chunks, the third after a checkpoint is due: the upload is not complete.
    async function* body() {
      yield Buffer.alloc(CHUNK);
      await sleep(400);
      yield Buffer.alloc(2 * CHUNK);
      await sleep(50);
    }

    const written = write(body());
    await sleep(500);
    const storedMeanwhile = [...stored];
    releaseDatabase();
    await expect(written).resolves.toBe(3 * CHUNK);
    expect(storedMeanwhile).toEqual([1, 2, 3]);
  });

  it('streams a part to storage as its chunks arrive, not once it is whole', async () => {
    let received = 0;
    let sent = 0;
    const { patch } = storeOver({
      chunks: 12,
      chunksPerPart: 4,
      storedParts: 1,
      writePart: async (part, data) => {
        for await (const piece of data as AsyncIterable<Buffer>) received += piece.length;
        return `etag-${part.number}`;
      },
    });
    let receivedBeforeLastChunk = 0;
    async function* body() {
      for (let chunk = 0; chunk < 4; chunk += 1) {
        if (chunk === 3) {
          await sleep(20);
          receivedBeforeLastChunk = received;
        }
        sent += CHUNK;
        yield Buffer.alloc(CHUNK);
      }
    }

    await expect(patch(body(), 4 * CHUNK)).resolves.toBe(8 * CHUNK);
    expect(sent).toBe(4 * CHUNK);
    // The test's sealer adds no tag: three chunks are three plaintext chunks here.
    expect(receivedBeforeLastChunk).toBe(3 * CHUNK);
  });

  it('holds back the request while storage is behind, instead of buffering parts', async () => {
    let release!: () => void;
    const storageReady = new Promise<void>((resolve) => (release = resolve));
    const placements: PartPlacement[] = [];
    const { patch } = storeOver({
      chunks: 20,
      chunksPerPart: 4,
      storedParts: 1,
      writePart: async (part, data) => {
        placements.push(part);
        await storageReady;
        await drain(data);
        return `etag-${part.number}`;
      },
    });
    let sent = 0;
    async function* body() {
      for (let chunk = 0; chunk < 12; chunk += 1) {
        await sleep(1);
        sent += CHUNK;
        yield Buffer.alloc(CHUNK);
      }
    }

    const written = patch(body(), 12 * CHUNK);
    await sleep(50);
    // The chunk being sealed, one waiting in the part's stream, the one taken from the request
    // while those wait, one in the request stream's buffer and the one its source holds.
    expect(sent).toBeLessThanOrEqual(5 * CHUNK);
    release();
    await expect(written).resolves.toBe(16 * CHUNK);
    expect(placements.map(({ number, position, length }) => [number, position, length])).toEqual([
      [2, 4 * SEALED, 4 * SEALED],
      [3, 8 * SEALED, 4 * SEALED],
      [4, 12 * SEALED, 4 * SEALED],
    ]);
  });

  it('does not start a part its request cannot make whole, and keeps the parts before it', async () => {
    const { started, write } = partlyStoredUpload();
    async function* body() {
      await sleep(1);
      yield Buffer.alloc(6 * CHUNK);
    }

    await expect(write(body(), 6 * CHUNK)).resolves.toBe(8 * CHUNK);
    expect(started).toEqual([2]);
  });

  it('drops a part its request ended in the middle of, and keeps the parts before it', async () => {
    const outcomes: string[] = [];
    const { write } = storeOver({
      chunks: 20,
      chunksPerPart: 4,
      storedParts: 1,
      writePart: async (part, data) => {
        try {
          await drain(data);
          outcomes.push(`stored ${part.number}`);
        } catch {
          outcomes.push(`dropped ${part.number}`);
          throw new Error('storage saw the part end short');
        }
        return `etag-${part.number}`;
      },
    });
    // No Content-Length, and the body ends two chunks into the second part.
    async function* body() {
      await sleep(1);
      yield Buffer.alloc(6 * CHUNK);
    }

    await expect(write(body())).resolves.toBe(8 * CHUNK);
    expect(outcomes).toEqual(['stored 2', 'dropped 3']);
  });

  it('refuses a PATCH too short to make its part whole, saying how much to send, and stores nothing', async () => {
    const { started, patch } = partlyStoredUpload();
    async function* body() {
      await sleep(1);
      yield Buffer.alloc(2 * CHUNK);
    }

    await expect(patch(body(), 2 * CHUNK)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(`Send at least ${4 * CHUNK} bytes in one PATCH`),
    });
    expect(started).toEqual([]);
  });

  it('appends the receipts of the parts it stored to the record, each once, and none where storage needs none', async () => {
    async function* body() {
      for (let chunk = 0; chunk < 8; chunk += 1) {
        if (chunk % 2 === 0) await sleep(150);
        yield Buffer.alloc(CHUNK);
      }
    }
    const appended = async (keepsReceipts: boolean) => {
      const { patch, updates } = storeOver({
        chunks: 20,
        chunksPerPart: 2,
        storedParts: 1,
        keepsReceipts,
        writePart: async (part, data) => {
          await drain(data);
          return `etag-${part.number}`;
        },
      });
      await expect(patch(body(), 8 * CHUNK)).resolves.toBe(10 * CHUNK);
      expect(updates.length).toBeGreaterThan(1);
      for (const update of updates) expect(update.$set).not.toHaveProperty('parts');
      return updates.flatMap(
        (update) => (update.$push as { parts: { $each: string[] } } | undefined)?.parts.$each ?? [],
      );
    };

    expect(await appended(true)).toEqual(['etag-2', 'etag-3', 'etag-4', 'etag-5']);
    expect(await appended(false)).toEqual([]);
  });
});
