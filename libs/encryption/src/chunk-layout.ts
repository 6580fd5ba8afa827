import type { ByteRange } from '@strongroom/storage';
import { TAG_BYTES } from './encryption-header';

/**
 * Where a plaintext range lives in the stored blob. The blob is the chunks back to back, each its
 * ciphertext followed by its tag; an empty file is one empty chunk, so even it is authenticated.
 */
export interface ChunkSpan {
  /** Chunks in the whole file. */
  totalChunks: number;
  firstChunk: number;
  /** Inclusive. */
  lastChunk: number;
  /** The stored bytes holding firstChunk..lastChunk. */
  storedRange: ByteRange;
  /** Plaintext bytes to drop from the start of the first chunk. */
  skip: number;
  /** Plaintext bytes to deliver. */
  length: number;
}

export function chunkCount(plainSize: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plainSize / chunkSize));
}

export function storedSize(plainSize: number, chunkSize: number): number {
  return plainSize + chunkCount(plainSize, chunkSize) * TAG_BYTES;
}

/** Where sealed chunk `index` starts in the stored blob. */
export function sealedChunkStart(index: number, chunkSize: number): number {
  return index * (chunkSize + TAG_BYTES);
}

/** Plaintext length of chunk `index` of a file of `plainSize` bytes. */
export function chunkPlainLength(index: number, plainSize: number, chunkSize: number): number {
  const last = chunkCount(plainSize, chunkSize) - 1;
  return index < last ? chunkSize : plainSize - last * chunkSize;
}

/** The chunks a plaintext range needs (the whole file without one); the range must be valid. */
export function chunkSpan(plainSize: number, chunkSize: number, range?: ByteRange): ChunkSpan {
  const totalChunks = chunkCount(plainSize, chunkSize);
  const total = storedSize(plainSize, chunkSize);
  if (!range) {
    return {
      totalChunks,
      firstChunk: 0,
      lastChunk: totalChunks - 1,
      storedRange: { start: 0, end: total - 1 },
      skip: 0,
      length: plainSize,
    };
  }
  if (range.start < 0 || range.end < range.start || range.end >= plainSize) {
    throw new RangeError(`range ${range.start}-${range.end} is outside ${plainSize} bytes`);
  }
  const firstChunk = Math.floor(range.start / chunkSize);
  const lastChunk = Math.floor(range.end / chunkSize);
  const sealed = chunkSize + TAG_BYTES;
  return {
    totalChunks,
    firstChunk,
    lastChunk,
    storedRange: {
      start: firstChunk * sealed,
      end: Math.min((lastChunk + 1) * sealed, total) - 1,
    },
    skip: range.start - firstChunk * chunkSize,
    length: range.end - range.start + 1,
  };
}
