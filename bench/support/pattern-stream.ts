/**
 * Deterministic upload data, generated as it is sent: a fixed pseudo-random MiB repeated, with
 * the chunk's index and a stream id stamped into its first 8 bytes, so no two chunks (and no two
 * streams) are equal and nothing ever holds a whole file in memory.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const PATTERN_CHUNK_BYTES = 1024 * 1024;

let block: Buffer | undefined;

/** The same MiB on every run: xorshift32 from a fixed seed. */
function patternBlock(): Buffer {
  if (block) return block;
  block = Buffer.allocUnsafe(PATTERN_CHUNK_BYTES);
  let x = 0x9e3779b9;
  for (let offset = 0; offset < PATTERN_CHUNK_BYTES; offset += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block.writeUInt32LE(x >>> 0, offset);
  }
  return block;
}

/** A fresh buffer per chunk: a stream may still hold earlier ones while later ones are made. */
function chunkAt(index: number, length: number, streamId: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  patternBlock().copy(chunk, 0, 0, length);
  if (length >= 8) {
    chunk.writeUInt32LE(index, 0);
    chunk.writeUInt32LE(streamId, 4);
  }
  return chunk;
}

/** `size` bytes of the pattern, in 1 MiB chunks (the last one shorter). */
export class PatternStream extends Readable {
  private index = 0;
  private remaining: number;

  constructor(
    size: number,
    private readonly streamId = 0,
  ) {
    super({ highWaterMark: PATTERN_CHUNK_BYTES });
    this.remaining = size;
  }

  override _read(): void {
    if (this.remaining === 0) {
      this.push(null);
      return;
    }
    const length = Math.min(PATTERN_CHUNK_BYTES, this.remaining);
    this.remaining -= length;
    this.push(chunkAt(this.index++, length, this.streamId));
  }
}

/** The SHA-256 (hex) that `new PatternStream(size, streamId)` produces. */
export function patternSha256(size: number, streamId = 0): string {
  const hash = createHash('sha256');
  let index = 0;
  for (let remaining = size; remaining > 0; index++) {
    const length = Math.min(PATTERN_CHUNK_BYTES, remaining);
    hash.update(chunkAt(index, length, streamId));
    remaining -= length;
  }
  return hash.digest('hex');
}
