import { Transform, type TransformCallback } from 'node:stream';
import type { ChunkSealer } from './chunk-cipher';
import { type ChunkSpan, chunkPlainLength } from './chunk-layout';
import { TAG_BYTES } from './encryption-header';
import { ContentIntegrityError } from './encryption.errors';

/**
 * The stored bytes of a span of chunks in, their verified plaintext (trimmed to the requested
 * range) out. A chunk's plaintext is released only after its tag verified; anything short, long,
 * reordered or altered ends the stream with a ContentIntegrityError.
 */
export class DecryptStream extends Transform {
  /**
   * A chunk that arrives in pieces is put together here. Made when first needed and as large as
   * that chunk: a whole chunkSize (1 MiB by default) allocated for every download of a small file
   * or a short range kept the garbage collector busy for a fifth of the server's time.
   */
  private pending?: Buffer;
  private filled = 0;
  private index: number;
  private toSkip: number;
  private toDeliver: number;

  constructor(
    private readonly sealer: ChunkSealer,
    private readonly span: ChunkSpan,
    private readonly plainSize: number,
  ) {
    super();
    this.index = span.firstChunk;
    this.toSkip = span.skip;
    this.toDeliver = span.length;
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < data.length) {
        if (this.index > this.span.lastChunk) {
          throw new ContentIntegrityError('the stored object is longer than its chunks');
        }
        const expected = this.sealedLength(this.index);
        const available = data.length - offset;
        if (this.filled === 0 && available >= expected) {
          // A whole chunk in one piece: open it in place, without copying.
          this.openChunk(data.subarray(offset, offset + expected));
          offset += expected;
          continue;
        }
        if (!this.pending || this.pending.length < expected) {
          // Only the last chunk is shorter than the others, so this happens once per stream.
          this.pending = Buffer.allocUnsafe(expected);
        }
        const pending = this.pending;
        const end = Math.min(data.length, offset + expected - this.filled);
        const copied = data.copy(pending, this.filled, offset, end);
        this.filled += copied;
        offset += copied;
        if (this.filled === expected) {
          this.openChunk(pending.subarray(0, expected));
          this.filled = 0;
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.index <= this.span.lastChunk) {
      callback(
        new ContentIntegrityError(`the stored object ends inside chunk ${this.index}`, this.index),
      );
      return;
    }
    callback();
  }

  private sealedLength(index: number): number {
    return chunkPlainLength(index, this.plainSize, this.sealer.chunkSize) + TAG_BYTES;
  }

  private openChunk(sealed: Buffer): void {
    const index = this.index;
    let plaintext: Buffer;
    try {
      plaintext = this.sealer.open(index, index === this.span.totalChunks - 1, sealed);
    } catch (error) {
      throw new ContentIntegrityError(`chunk ${index} failed authentication`, index, {
        cause: error,
      });
    }
    this.index += 1;
    const start = Math.min(this.toSkip, plaintext.length);
    this.toSkip -= start;
    const end = Math.min(plaintext.length, start + this.toDeliver);
    this.toDeliver -= end - start;
    if (end > start)
      this.push(
        start === 0 && end === plaintext.length ? plaintext : plaintext.subarray(start, end),
      );
  }
}
