import { Injectable } from '@nestjs/common';
import type { Hash } from 'node:crypto';

/** Uploads whose running SHA-256 one instance keeps; beyond this the oldest is forgotten. */
const MAX_UPLOADS = 10_000;

/**
 * The running SHA-256 (Node's native hash) of the uploads this instance recorded progress for,
 * each at the chunk its record had reached then. Node's hash state cannot be saved in the record,
 * and a serialisable one (hash-wasm) cost 4.3 ms per MiB against 0.6 ms: a request that continues
 * where this instance left off takes the hash from here; any other (another instance did the
 * last checkpoint, a restart, a forgotten entry) gets nothing, and the digest is computed at
 * completion by reading the stored plaintext back. An entry is only ever used for exactly the
 * chunk it was kept at, which the record reaches once (its `nextChunk` only grows), so it cannot
 * be stale.
 */
@Injectable()
export class UploadDigestCache {
  private readonly entries = new Map<string, { nextChunk: number; hash: Hash }>();

  /** A copy of the hash of chunks `0 … nextChunk - 1`, if this instance kept exactly that one. */
  take(uploadId: string, nextChunk: number): Hash | undefined {
    const entry = this.entries.get(uploadId);
    return entry?.nextChunk === nextChunk ? entry.hash.copy() : undefined;
  }

  /** Keeps `hash` (not copied: the caller hands it over) as the hash of chunks before `nextChunk`. */
  keep(uploadId: string, nextChunk: number, hash: Hash): void {
    this.entries.delete(uploadId);
    this.entries.set(uploadId, { nextChunk, hash });
    if (this.entries.size > MAX_UPLOADS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(uploadId: string): void {
    this.entries.delete(uploadId);
  }
}
