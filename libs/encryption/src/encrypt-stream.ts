import { Transform, type TransformCallback } from 'node:stream';
import type { ChunkSealer } from './chunk-cipher';

/**
 * Plaintext in, sealed chunks out. A full chunk is held until the next byte or the end arrives,
 * because whether it is the last one is part of its authenticated data: memory stays at one chunk.
 */
export class EncryptStream extends Transform {
  private readonly pending: Buffer;
  private filled = 0;
  private index = 0;

  constructor(private readonly sealer: ChunkSealer) {
    super();
    this.pending = Buffer.allocUnsafe(sealer.chunkSize);
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < data.length) {
        if (this.filled === this.pending.length) this.sealPending(false);
        const copied = data.copy(this.pending, this.filled, offset);
        this.filled += copied;
        offset += copied;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.sealPending(true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private sealPending(last: boolean): void {
    const [ciphertext, tag] = this.sealer.seal(
      this.index,
      last,
      this.pending.subarray(0, this.filled),
    );
    this.push(ciphertext);
    this.push(tag);
    this.index += 1;
    this.filled = 0;
  }
}
