import { LRUCache } from 'lru-cache';
import { providerOf, type WrappedKey } from './key-wrapper.port';

export interface DataKeyCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/**
 * Unwrapped keys for a few seconds, so the range requests of one download (a video seeking)
 * cost one call to the key service. Bounded in entries and age; a key that leaves the cache,
 * for whatever reason, is zero-filled. Callers get copies, which they wipe themselves.
 */
export class DataKeyCache {
  private readonly entries: LRUCache<string, Buffer> | undefined;

  constructor(options: DataKeyCacheOptions) {
    this.entries =
      options.ttlMs > 0 && options.maxEntries > 0
        ? new LRUCache<string, Buffer>({
            max: options.maxEntries,
            ttl: options.ttlMs,
            ttlAutopurge: true,
            updateAgeOnGet: false,
            dispose: (key) => key.fill(0),
          })
        : undefined;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  get(wrapped: WrappedKey, binding: string): Buffer | undefined {
    const cached = this.entries?.get(cacheKey(wrapped, binding));
    return cached ? Buffer.from(cached) : undefined;
  }

  set(wrapped: WrappedKey, binding: string, key: Buffer): void {
    this.entries?.set(cacheKey(wrapped, binding), Buffer.from(key));
  }

  /** Wipes every key; at shutdown. */
  clear(): void {
    this.entries?.clear();
  }
}

function cacheKey(wrapped: WrappedKey, binding: string): string {
  return [providerOf(wrapped), wrapped.kekId, binding, wrapped.wrappedKey].join('\u0000');
}
