import { PassThrough, type Readable } from 'node:stream';
import type { Counter } from 'prom-client';
import type {
  ByteRange,
  ObjectLock,
  StorageProvider,
  StoredObject,
  StoredSize,
  WriteOptions,
} from './storage.port';
import { pipeWatchingSource } from './source-failure';
import { StorageObjectHeldError } from './storage.errors';

export const STORAGE_ERRORS_TOTAL = 'storage_errors_total';
export const TEMPORARIES_SWEPT_TOTAL = 'storage_temporaries_swept_total';
export type StorageOperation = 'write' | 'read' | 'stat' | 'delete' | 'list' | 'health' | 'sweep';

/**
 * Wraps an adapter to count its failures by driver and operation; behaviour is unchanged. A write
 * whose body broke first (the client hung up) is the client's failure, not the backend's.
 */
export class InstrumentedStorageProvider implements StorageProvider {
  readonly driver: StorageProvider['driver'];
  readonly objectLock?: ObjectLock;

  constructor(
    private readonly inner: StorageProvider,
    private readonly errors: Counter<'driver' | 'op'>,
    private readonly swept: Counter<'driver'>,
  ) {
    this.driver = inner.driver;
    this.objectLock = inner.objectLock;
  }

  write(key: string, body: Readable): Promise<StoredObject>;
  write(key: string, body: Readable, options: WriteOptions): Promise<StoredSize>;
  write(key: string, body: Readable, options?: WriteOptions): Promise<StoredSize> {
    const watched = pipeWatchingSource(body, new PassThrough());
    return this.counted(
      'write',
      () =>
        options
          ? this.inner.write(key, watched.stream, options)
          : this.inner.write(key, watched.stream),
      () => !watched.sourceFailed(),
    );
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const stream = await this.counted('read', () => this.inner.read(key, range));
    stream.once('error', () => this.errors.inc({ driver: this.driver, op: 'read' }));
    return stream;
  }

  stat(key: string): Promise<{ size: number }> {
    return this.counted('stat', () => this.inner.stat(key));
  }

  /** A refusal to delete a held object is the lock working, not a backend failure. */
  delete(key: string): Promise<void> {
    let held = false;
    return this.counted(
      'delete',
      () =>
        this.inner.delete(key).catch((error: unknown) => {
          held = error instanceof StorageObjectHeldError;
          throw error;
        }),
      () => !held,
    );
  }

  async *list(prefix: string): AsyncIterable<string> {
    try {
      yield* this.inner.list(prefix);
    } catch (error) {
      this.errors.inc({ driver: this.driver, op: 'list' });
      throw error;
    }
  }

  checkHealth(): Promise<void> {
    return this.counted('health', () => this.inner.checkHealth());
  }

  async sweepTemporaries(olderThanMs: number): Promise<number> {
    const removed = await this.counted('sweep', () => this.inner.sweepTemporaries(olderThanMs));
    this.swept.inc({ driver: this.driver }, removed);
    return removed;
  }

  private async counted<T>(
    op: StorageOperation,
    call: () => Promise<T>,
    isBackendFailure: () => boolean = () => true,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isBackendFailure()) this.errors.inc({ driver: this.driver, op });
      throw error;
    }
  }
}
