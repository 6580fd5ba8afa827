import { chunksPerPart } from './part-size';

const MiB = 1024 * 1024;
const s3 = { minPartBytes: 5 * MiB, maxParts: 10_000 };
const local = { minPartBytes: 0, maxParts: Number.MAX_SAFE_INTEGER };

describe('chunksPerPart', () => {
  it("is the driver's minimum in whole sealed chunks when the body's size is unknown or small", () => {
    expect(chunksPerPart(s3, 64 * MiB, MiB)).toBe(5);
    expect(chunksPerPart(s3, 64 * MiB, MiB, 4 * MiB)).toBe(5);
    expect(chunksPerPart(local, 64 * MiB, MiB, 8 * MiB)).toBe(1);
  });

  it('follows the size of the first PATCH, so every PATCH of that size is stored whole', () => {
    expect(chunksPerPart(s3, GiB(1), MiB, 8 * MiB)).toBe(8);
    expect(chunksPerPart(s3, GiB(1), MiB, 13 * MiB)).toBe(13);
    // The smallest part size that keeps as much: 10 MiB is two parts of 5.
    expect(chunksPerPart(s3, GiB(1), MiB, 10 * MiB)).toBe(5);
    // A partial chunk at the end of a body is never stored by itself.
    expect(chunksPerPart(s3, GiB(1), MiB, 8 * MiB + 99)).toBe(8);
  });

  it('keeps parts small enough to hold in memory when the body is large', () => {
    expect(chunksPerPart(s3, GiB(1), MiB, GiB(1))).toBe(8);
    expect(chunksPerPart(s3, GiB(1), MiB, 17 * MiB)).toBe(8);
  });

  it("stays within the driver's maximum number of parts", () => {
    expect(chunksPerPart(s3, GiB(100), MiB, 8 * MiB)).toBe(11);
  });
});

function GiB(n: number): number {
  return n * 1024 * MiB;
}
