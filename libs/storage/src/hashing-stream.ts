import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { StoredObject, StoredSize, WriteOptions } from './storage.port';

export interface HashingStream {
  /** Pass-through that hashes and counts every byte on its way to the backend. */
  stream: Transform;
  /** Size and SHA-256 of what went through; call once the stream has finished. */
  result(): StoredObject;
}

/** Every adapter measures what it stores the same way, so the sha256 a client sees never depends on the driver. */
export function createHashingStream(): HashingStream {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return {
    stream,
    result() {
      digest ??= hash.digest('hex');
      return { size, sha256: digest };
    },
  };
}

/** What an adapter's write measures: size and SHA-256, or only the size when told to skip the hash. */
export function createWriteMeasure(options?: WriteOptions): {
  stream: Transform;
  result(): StoredSize;
} {
  if (options?.sha256 !== false) return createHashingStream();
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ size }) };
}
