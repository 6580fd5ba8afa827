import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { StorageObjectNotFoundError } from '../storage.errors';
import { LocalStorageAdapter } from './local.storage-adapter';

let root: string;
let storage: LocalStorageAdapter;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'local-storage-'));
  storage = new LocalStorageAdapter(root);
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

describe('LocalStorageAdapter.read', () => {
  beforeEach(() => storage.write('ab/object', Readable.from([Buffer.from('0123456789')])));

  it('opens the file once per read, without a separate access check', async () => {
    const access = jest.spyOn(fs, 'access');
    try {
      expect((await buffer(await storage.read('ab/object'))).toString()).toBe('0123456789');
      expect((await buffer(await storage.read('ab/object', { start: 2, end: 4 }))).toString()).toBe(
        '234',
      );
      expect(access).not.toHaveBeenCalled();
    } finally {
      access.mockRestore();
    }
  });

  it('refuses a missing object before any stream exists', async () => {
    await expect(storage.read('ab/missing')).rejects.toBeInstanceOf(StorageObjectNotFoundError);
  });
});

describe('LocalStorageAdapter.write', () => {
  /** 8 chunks of 64 KiB, each its own allocation, as a cipher’s output is. */
  const ownChunks = () =>
    Array.from({ length: 8 }, (_, i) => Buffer.allocUnsafeSlow(64 * 1024).fill(i));

  it('frees each chunk once the file holds it when the chunks are handed over, and only then', async () => {
    for (const releaseChunks of [true, false]) {
      const chunks = ownChunks();
      const expected = Buffer.concat(chunks);
      const stored = await storage.write(`ab/${String(releaseChunks)}`, Readable.from(chunks), {
        sha256: false,
        releaseChunks,
      });
      expect(stored.size).toBe(expected.length);
      expect(await fs.readFile(path.join(root, 'ab', String(releaseChunks)))).toEqual(expected);
      const left = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      expect(left).toBe(releaseChunks ? 0 : expected.length);
    }
  });
});
