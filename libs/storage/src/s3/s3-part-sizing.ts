/**
 * How an S3 write is cut into parts, and how much memory its parts may take. A part is held in
 * memory while it fills and while it uploads (S3 needs each part's length before its first byte),
 * so the part size times the parts an upload keeps is its memory, and the pool bounds the sum
 * over every upload at once.
 */

const MIB = 1024 * 1024;

/** S3's smallest part (all but the last one), and the most parts one object may have. */
export const S3_MIN_PART_SIZE = 5 * MIB;
export const S3_MAX_PARTS = 10_000;

/**
 * What the stored object may exceed the file by: encryption adds a 16-byte tag to every chunk of
 * at least 1 KiB, so at most 1/64 more.
 */
const STORED_OVERHEAD = 1 / 64;

/** Parts in flight per upload: as lib-storage's default, enough to keep a link busy. */
export const S3_PARTS_IN_FLIGHT = 4;

export interface S3PartSizing {
  /** Bytes of every part but the last. */
  partSize: number;
  /** Parts one upload may have uploading at once. */
  partsInFlight: number;
  /** Part buffers all uploads together may hold (filling or uploading). */
  poolParts: number;
}

/**
 * The smallest whole-MiB part that still fits the largest allowed object in S3's 10,000 parts,
 * never below S3's 5 MiB minimum; and how many such parts `memoryBudget` holds (at least two,
 * so one part can fill while another uploads).
 */
export function s3PartSizing(maxObjectSize: number, memoryBudget: number): S3PartSizing {
  const largestStored = Math.ceil(maxObjectSize * (1 + STORED_OVERHEAD));
  const partSize = Math.max(S3_MIN_PART_SIZE, Math.ceil(largestStored / S3_MAX_PARTS / MIB) * MIB);
  const poolParts = Math.max(2, Math.floor(memoryBudget / partSize));
  return { partSize, partsInFlight: Math.min(S3_PARTS_IN_FLIGHT, poolParts - 1), poolParts };
}
