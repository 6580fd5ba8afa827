import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataKeyCache } from './data-key.cache';
import type { WrappedKey } from './key-wrapper.port';

const wrappedNo = (n: number): WrappedKey => ({
  keyProvider: 'aws-kms',
  kekId: 'arn:aws:kms:eu-central-1:1:key/k',
  wrappedKey: `blob-${n}`,
});

/** The buffers the cache holds, caught as they go in, to see them wiped. */
function spyOnStoredBuffers(): Buffer[] {
  const stored: Buffer[] = [];
  const from = Buffer.from.bind(Buffer) as (value: Buffer) => Buffer;
  jest.spyOn(Buffer, 'from').mockImplementation(((value: Buffer) => {
    const copy = from(value);
    stored.push(copy);
    return copy;
  }) as unknown as typeof Buffer.from);
  return stored;
}

describe('DataKeyCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps at most maxEntries keys, evicting the least recently used and wiping it', () => {
    const cache = new DataKeyCache({ ttlMs: 60_000, maxEntries: 2 });
    const stored = spyOnStoredBuffers();
    for (const n of [1, 2, 3]) cache.set(wrappedNo(n), `file-${n}`, randomBytes(32));
    jest.restoreAllMocks();
    expect(cache.size).toBe(2);
    expect(cache.get(wrappedNo(1), 'file-1')).toBeUndefined();
    expect(stored[0].equals(Buffer.alloc(32))).toBe(true);
    expect(cache.get(wrappedNo(3), 'file-3')).toHaveLength(32);
  });

  it('forgets a key after its time and wipes it', async () => {
    const cache = new DataKeyCache({ ttlMs: 50, maxEntries: 10 });
    const stored = spyOnStoredBuffers();
    cache.set(wrappedNo(1), 'file-1', randomBytes(32));
    jest.restoreAllMocks();
    expect(cache.get(wrappedNo(1), 'file-1')).toHaveLength(32);
    await sleep(150);
    expect(cache.get(wrappedNo(1), 'file-1')).toBeUndefined();
    expect(stored[0].equals(Buffer.alloc(32))).toBe(true);
  });

  it('hands out copies, so a caller wiping its key does not wipe the cached one', () => {
    const cache = new DataKeyCache({ ttlMs: 60_000, maxEntries: 10 });
    const key = randomBytes(32);
    cache.set(wrappedNo(1), 'file-1', key);
    const first = cache.get(wrappedNo(1), 'file-1')!;
    first.fill(0);
    key.fill(0);
    expect(cache.get(wrappedNo(1), 'file-1')!.equals(Buffer.alloc(32))).toBe(false);
  });

  it('binds an entry to the record: the same wrapped key under another id is a miss', () => {
    const cache = new DataKeyCache({ ttlMs: 60_000, maxEntries: 10 });
    cache.set(wrappedNo(1), 'file-1', randomBytes(32));
    expect(cache.get(wrappedNo(1), 'file-2')).toBeUndefined();
  });

  it('keeps nothing when its time or size is 0, and wipes everything on clear', () => {
    const off = new DataKeyCache({ ttlMs: 0, maxEntries: 100 });
    off.set(wrappedNo(1), 'file-1', randomBytes(32));
    expect(off.enabled).toBe(false);
    expect(off.get(wrappedNo(1), 'file-1')).toBeUndefined();

    const cache = new DataKeyCache({ ttlMs: 60_000, maxEntries: 10 });
    const stored = spyOnStoredBuffers();
    cache.set(wrappedNo(1), 'file-1', randomBytes(32));
    jest.restoreAllMocks();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(stored[0].equals(Buffer.alloc(32))).toBe(true);
  });
});
