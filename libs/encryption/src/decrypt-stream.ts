import { Transform, type TransformCallback } from 'node:stream';
import { handOverChunk, releaseBuffer } from '@strongroom/storage';
import type { ChunkOpener, ChunkSealer } from './chunk-cipher';
import { type ChunkSpan, chunkPlainLength } from './chunk-layout';
import { TAG_BYTES } from './encryption-header';
import { ContentIntegrityError } from './encryption.errors';

/**
 * The stored bytes of a span of chunks in, their verified plaintext (trimmed to the requested
 * range) out. A chunk's plaintext is released only after its tag verified; anything short, long,
 * reordered or altered ends the stream with a ContentIntegrityError.
 *
 * Each piece of ciphertext is deciphered as it arrives and its plaintext held until the chunk's
 * tag has verified. A chunk is never put together first: that was a chunk-sized buffer per
 * download (1 MiB by default, on top of the verified chunk waiting for the client and the one
 * being sent), written once more with a copy of every byte.
 */
export class DecryptStream extends Transform {
  private opener?: ChunkOpener;
  /** The current chunk's verified-to-be plaintext, as deciphered so far. */
  private held: Buffer[] = [];
  /** Stored bytes of the current chunk seen so far. */
  private received = 0;
  private readonly tag = Buffer.alloc(TAG_BYTES);
  private index: number;
  private toSkip: number;
  private toDeliver: number;

  constructor(
    private readonly sealer: ChunkSealer,
    private readonly span: ChunkSpan,
    private readonly plainSize: number,
    /** `releaseInput`: the stored chunks are this stream's; each is freed once deciphered. */
    private readonly options: { releaseInput?: boolean } = {},
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
        const cipherLength = expected - TAG_BYTES;
        this.opener ??= this.sealer.opener(this.index, this.index === this.span.totalChunks - 1);
        if (this.received < cipherLength) {
          const end = Math.min(data.length, offset + cipherLength - this.received);
          const plaintext = this.opener.update(data.subarray(offset, end));
          if (plaintext.length > 0) this.held.push(plaintext);
          this.received += end - offset;
          offset = end;
        } else {
          const end = Math.min(data.length, offset + expected - this.received);
          data.copy(this.tag, this.received - cipherLength, offset, end);
          this.received += end - offset;
          offset = end;
        }
        if (this.received === expected) this.releaseChunk();
      }
      if (this.options.releaseInput) releaseBuffer(data);
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

  /** Verifies the chunk just received whole, then hands out its plaintext within the range. */
  private releaseChunk(): void {
    const index = this.index;
    const held = this.held;
    try {
      this.opener?.verify(this.tag);
    } catch (error) {
      throw new ContentIntegrityError(`chunk ${index} failed authentication`, index, {
        cause: error,
      });
    }
    this.index += 1;
    this.opener = undefined;
    this.held = [];
    this.received = 0;
    for (const plaintext of held) {
      const start = Math.min(this.toSkip, plaintext.length);
      this.toSkip -= start;
      const end = Math.min(plaintext.length, start + this.toDeliver);
      this.toDeliver -= end - start;
      if (end > start) {
        // The plaintext is this stream's own output: whoever sends it on may free it.
        this.push(
          handOverChunk(
            start === 0 && end === plaintext.length ? plaintext : plaintext.subarray(start, end),
          ),
        );
      }
    }
  }
}
