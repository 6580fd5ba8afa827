import { Transform, type TransformCallback } from 'node:stream';
import { releaseBuffer } from '@strongroom/storage';
import type { ChunkSealer } from './chunk-cipher';

/**
 * Plaintext in, sealed chunks out. A full chunk is held until the next byte or the end arrives,
 * because whether it is the last one is part of its authenticated data: memory stays at one chunk.
 * The chunk is held as the pieces that arrived (no copy into a chunk-sized buffer), so a small
 * file costs its own size, not a whole chunk.
 */
export class EncryptStream extends Transform {
  private pending: Buffer[] = [];
  private filled = 0;
  private index = 0;

  constructor(
    private readonly sealer: ChunkSealer,
    /** `releasePlaintext`: the chunks written are this stream's; each is freed once sealed. */
    private readonly options: { releasePlaintext?: boolean } = {},
  ) {
    super();
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < data.length) {
        if (this.filled === this.sealer.chunkSize) this.sealPending(false);
        const taken = Math.min(data.length - offset, this.sealer.chunkSize - this.filled);
        this.pending.push(taken === data.length ? data : data.subarray(offset, offset + taken));
        this.filled += taken;
        offset += taken;
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
    for (const sealed of this.sealer.sealPieces(this.index, last, this.pending)) {
      this.push(sealed);
    }
    if (this.options.releasePlaintext) this.pending.forEach(releaseBuffer);
    this.index += 1;
    this.pending = [];
    this.filled = 0;
  }
}
