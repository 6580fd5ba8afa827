import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Counter, Registry } from 'prom-client';
import { InstrumentedStorageProvider } from './instrumented-storage.provider';
import type { StorageProvider, StoredObject } from './storage.port';

/** An adapter whose backend takes `okChunks` chunks of a write and then fails. */
function failingBackend(okChunks: number): StorageProvider {
  const write = async (_key: string, body: Readable): Promise<StoredObject> => {
    let taken = 0;
    await pipeline(
      body,
      new Writable({
        write(_chunk, _encoding, callback) {
          taken += 1;
          callback(taken > okChunks ? new Error('disk full') : null);
        },
      }),
    );
    return { size: taken, sha256: '' };
  };
  return { driver: 'local', write } as unknown as StorageProvider;
}

/** A body that sends a chunk now and then; `breakAfter` chunks in, it fails like a hung-up client. */
function body(breakAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      sent += 1;
      if (breakAfter !== undefined && sent > breakAfter) {
        setImmediate(() => this.destroy(new Error('client hung up')));
        return;
      }
      setImmediate(() => this.push(Buffer.from(`chunk ${sent}`)));
    },
  });
}

describe('InstrumentedStorageProvider', () => {
  let errors: Counter<'driver' | 'op'>;
  let swept: Counter<'driver'>;
  const writeErrors = async () =>
    (await errors.get()).values.find((value) => value.labels.op === 'write')?.value ?? 0;

  beforeEach(() => {
    errors = new Counter({
      name: 'storage_errors_total',
      help: 'test',
      labelNames: ['driver', 'op'],
      registers: [new Registry()],
    });
    swept = new Counter({
      name: 'storage_temporaries_swept_total',
      help: 'test',
      labelNames: ['driver'],
      registers: [new Registry()],
    });
  });

  it('counts a write the backend failed', async () => {
    const storage = new InstrumentedStorageProvider(failingBackend(2), errors, swept);
    await expect(storage.write('k', body())).rejects.toThrow('disk full');
    expect(await writeErrors()).toBe(1);
  });

  it('does not count a write whose body broke off first', async () => {
    const storage = new InstrumentedStorageProvider(failingBackend(1000), errors, swept);
    await expect(storage.write('k', body(2))).rejects.toThrow('client hung up');
    expect(await writeErrors()).toBe(0);
  });
});

describe('InstrumentedStorageProvider.sweepTemporaries', () => {
  it('counts what the adapter removed, by driver', async () => {
    const registry = new Registry();
    const errors = new Counter({
      name: 'storage_errors_total',
      help: 'test',
      labelNames: ['driver', 'op'],
      registers: [registry],
    });
    const swept = new Counter({
      name: 'storage_temporaries_swept_total',
      help: 'test',
      labelNames: ['driver'],
      registers: [registry],
    });
    const adapter = {
      driver: 's3',
      sweepTemporaries: jest.fn().mockResolvedValue(3),
    } as unknown as StorageProvider;
    const storage = new InstrumentedStorageProvider(adapter, errors, swept);

    expect(await storage.sweepTemporaries(1000)).toBe(3);
    expect(await storage.sweepTemporaries(1000)).toBe(3);
    expect(adapter.sweepTemporaries).toHaveBeenCalledWith(1000);
    expect((await swept.get()).values).toEqual([
      expect.objectContaining({ labels: { driver: 's3' }, value: 6 }),
    ]);
  });
});
