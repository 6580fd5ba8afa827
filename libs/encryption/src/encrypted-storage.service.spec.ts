import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buffer } from 'node:stream/consumers';
import {
  type ByteRange,
  handOverChunks,
  LocalStorageAdapter,
  releaseBuffer,
  type StorageProvider,
  type WriteOptions,
} from '@strongroom/storage';
import { createTempDir, type TempDir } from '@strongroom/testing';
import { EncryptedStorage, type EncryptedFile } from './encrypted-storage.service';
import { DEFAULT_CHUNK_SIZE, TAG_BYTES } from './encryption-header';
import { ContentIntegrityError, UnknownEncryptionKeyError } from './encryption.errors';
import { KeyRing } from './key-ring';
import { LocalKeyWrapper } from './key-wrapping/local.key-wrapper';

const localKeys = (...keys: { id: string; key: Buffer }[]) =>
  new LocalKeyWrapper(new KeyRing(keys));

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const SEALED = DEFAULT_CHUNK_SIZE + TAG_BYTES;

/** The local adapter, remembering which stored ranges were asked for. */
class RecordingStorage extends LocalStorageAdapter {
  readonly reads: (ByteRange | undefined)[] = [];
  override read(key: string, range?: ByteRange) {
    this.reads.push(range);
    return super.read(key, range);
  }
}

describe('EncryptedStorage', () => {
  let dir: TempDir;
  let storage: RecordingStorage;
  let encrypted: EncryptedStorage;
  const plaintext = randomBytes(3 * DEFAULT_CHUNK_SIZE + 500);
  let file: EncryptedFile;

  beforeAll(async () => {
    dir = await createTempDir('encrypted-storage');
    storage = new RecordingStorage(dir.path);
    encrypted = new EncryptedStorage(storage, localKeys(k1));
    file = { fileId: 'file-1', storageKey: 'f/1', header: await encrypted.newHeader('file-1') };
    const stored = await encrypted.write(file, Readable.from([plaintext]));
    expect(stored.size).toBe(plaintext.length);
  });
  afterAll(() => dir.remove());

  const blob = () => path.join(dir.path, 'f', '1');

  it('stores sealed chunks and reads back the plaintext', async () => {
    expect((await readFile(blob())).length).toBe(plaintext.length + 4 * TAG_BYTES);
    expect((await buffer(await encrypted.read(file, plaintext.length))).equals(plaintext)).toBe(
      true,
    );
  });

  it('frees the stored chunks it deciphered only when the driver hands them over', async () => {
    for (const handOver of [true, false]) {
      const seen: Buffer[] = [];
      const watched = new (class extends LocalStorageAdapter {
        override async read(key: string, range?: ByteRange) {
          const source = await super.read(key, range);
          const copies = Readable.from(
            (async function* () {
              for await (const chunk of source) {
                // Each a whole allocation of its own, as a file's or a socket's reads are.
                const own = Buffer.allocUnsafeSlow((chunk as Buffer).length);
                (chunk as Buffer).copy(own);
                seen.push(own);
                yield own;
              }
            })(),
          );
          return handOver ? handOverChunks(copies) : copies;
        }
      })(dir.path);
      const reader = new EncryptedStorage(watched, localKeys(k1));
      expect((await buffer(await reader.read(file, plaintext.length))).equals(plaintext)).toBe(
        true,
      );
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.every((chunk) => chunk.length === 0)).toBe(handOver);
    }
  });

  it('opens files sealed with the chunk size their header names (64 KiB, as earlier releases did)', async () => {
    const older: EncryptedFile = {
      fileId: 'file-64k',
      storageKey: 'f/64k',
      header: { ...(await encrypted.newHeader('file-64k')), chunkSize: 64 * 1024 },
    };
    await encrypted.write(older, Readable.from([plaintext]));
    const chunks = Math.ceil(plaintext.length / (64 * 1024));
    expect((await readFile(path.join(dir.path, 'f', '64k'))).length).toBe(
      plaintext.length + chunks * TAG_BYTES,
    );
    const range = { start: 64 * 1024 - 3, end: 64 * 1024 + 3 };
    const got = await buffer(await encrypted.read(older, plaintext.length, range));
    expect(got.equals(plaintext.subarray(range.start, range.end + 1))).toBe(true);
    expect((await buffer(await encrypted.read(older, plaintext.length))).equals(plaintext)).toBe(
      true,
    );
  });

  it('reads only the stored chunks a range needs', async () => {
    storage.reads.length = 0;
    const range = { start: DEFAULT_CHUNK_SIZE + 10, end: 2 * DEFAULT_CHUNK_SIZE + 10 };
    const got = await buffer(await encrypted.read(file, plaintext.length, range));
    expect(got.equals(plaintext.subarray(range.start, range.end + 1))).toBe(true);
    expect(storage.reads).toEqual([{ start: SEALED, end: 3 * SEALED - 1 }]);
  });

  it('fails before returning a stream when the first chunk is bad, mid-stream for a later one', async () => {
    const original = await readFile(blob());
    try {
      const damaged = Buffer.from(original);
      damaged[3] ^= 1;
      await writeFile(blob(), damaged);
      await expect(encrypted.read(file, plaintext.length)).rejects.toBeInstanceOf(
        ContentIntegrityError,
      );

      damaged[3] ^= 1;
      damaged[2 * SEALED + 3] ^= 1;
      await writeFile(blob(), damaged);
      const stream = await encrypted.read(file, plaintext.length);
      await expect(buffer(stream)).rejects.toThrow(/chunk 2 failed authentication/);
    } finally {
      await writeFile(blob(), original);
    }
  });

  it('refuses a header it cannot trust', async () => {
    for (const header of [
      { ...file.header, version: 2 },
      { ...file.header, chunkSize: 10 },
      { ...file.header, noncePrefix: 'AAAA' },
    ]) {
      await expect(encrypted.read({ ...file, header }, plaintext.length)).rejects.toBeInstanceOf(
        ContentIntegrityError,
      );
    }
  });

  it('re-wraps a data key under the current key without touching the blob', async () => {
    const before = await readFile(blob());
    const dataKey = await localKeys(k1, k2).unwrap(file.header, file.fileId);
    const rewrapped = await localKeys(k2, k1).wrap(dataKey, file.fileId);
    expect(rewrapped.kekId).toBe('k2');
    const header = { ...file.header, ...rewrapped };
    const onlyK2 = new EncryptedStorage(storage, localKeys(k2));
    expect(
      (await buffer(await onlyK2.read({ ...file, header }, plaintext.length))).equals(plaintext),
    ).toBe(true);
    await expect(onlyK2.read(file, plaintext.length)).rejects.toBeInstanceOf(
      UnknownEncryptionKeyError,
    );
    expect((await readFile(blob())).equals(before)).toBe(true);
  });
});

describe('EncryptedStorage with chunks it owns', () => {
  const MIB = 1024 * 1024;

  /** A store that copies each chunk into one reused part buffer, as the S3 driver does. */
  const copyingStorage = {
    async write(_key: string, body: Readable, options?: WriteOptions) {
      const part = Buffer.allocUnsafeSlow(MIB);
      let size = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunk.copy(part, 0, 0, Math.min(chunk.length, part.length));
          size += chunk.length;
          if (options?.releaseChunks) releaseBuffer(chunk);
          callback();
        },
      });
      await pipeline(body, sink);
      return { size };
    },
  } as unknown as StorageProvider;

  it('passes 128 MiB through with the process’s buffer memory flat: nothing left for a collection', async () => {
    const encrypted = new EncryptedStorage(copyingStorage, localKeys(k1));
    const file = { fileId: 'big', storageKey: 'f/big', header: await encrypted.newHeader('big') };
    const start = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let sent = 0;
    // The request body as the HTTP parser hands it over: 64 KiB pieces, each its own allocation.
    const body = new Readable({
      read() {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - start);
        if (sent === 128 * MIB) return void this.push(null);
        sent += 64 * 1024;
        this.push(Buffer.allocUnsafeSlow(64 * 1024).fill(sent & 0xff));
      },
    });
    const stored = await encrypted.write(file, body, { ownedChunks: true });
    expect(stored.size).toBe(128 * MIB);
    // V8 collects such memory only after 64 MB more of it: freed as consumed, it never gets there.
    expect(peak).toBeLessThan(16 * MIB);
  });
});
