import { S3_MAX_PARTS, S3_MIN_PART_SIZE, s3PartSizing } from './s3-part-sizing';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('s3PartSizing', () => {
  it("uses S3's smallest part while the largest file fits in 10,000 of them", () => {
    expect(s3PartSizing(2 * GiB, 32 * MiB)).toEqual({
      partSize: S3_MIN_PART_SIZE,
      partsInFlight: 4,
      poolParts: 6,
    });
  });

  it('grows the part in whole MiB so the largest file, encrypted, still fits in 10,000 parts', () => {
    const { partSize } = s3PartSizing(100 * GiB, 256 * MiB);
    expect(partSize % MiB).toBe(0);
    expect(partSize * S3_MAX_PARTS).toBeGreaterThanOrEqual(100 * GiB * (1 + 1 / 64));
    expect(partSize - MiB).toBeLessThan((100 * GiB * (1 + 1 / 64)) / S3_MAX_PARTS);
  });

  it('fits the parts of all uploads in the memory budget, keeping one to fill beside those in flight', () => {
    expect(s3PartSizing(2 * GiB, 64 * MiB)).toEqual({
      partSize: 5 * MiB,
      partsInFlight: 4,
      poolParts: 12,
    });
    expect(s3PartSizing(2 * GiB, 16 * MiB)).toEqual({
      partSize: 5 * MiB,
      partsInFlight: 2,
      poolParts: 3,
    });
  });

  it('never gives fewer than two parts, so an upload can fill one while another uploads', () => {
    expect(s3PartSizing(200 * GiB, 10 * MiB)).toMatchObject({ poolParts: 2, partsInFlight: 1 });
  });
});
