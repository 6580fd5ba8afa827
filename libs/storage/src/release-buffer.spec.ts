import { releaseBuffer } from './release-buffer';

const MIB = 1024 * 1024;

describe('releaseBuffer', () => {
  it('frees a buffer that is its whole allocation at once, without waiting for a collection', () => {
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 64; i++) {
      const chunk = Buffer.allocUnsafeSlow(MIB);
      chunk.fill(i);
      releaseBuffer(chunk);
      expect(chunk.length).toBe(0);
    }
    // 64 MiB went through; without the release all of it would still be allocated here.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * MIB);
  });

  it('leaves a view into a larger allocation alone: a slice, or a piece of Buffer’s shared pool', () => {
    const whole = Buffer.alloc(1024, 7);
    const slice = whole.subarray(0, 512);
    releaseBuffer(slice);
    expect(slice.length).toBe(512);
    expect(whole.length).toBe(1024);

    const pooled = Buffer.from('small');
    const neighbour = Buffer.from('other');
    releaseBuffer(pooled);
    expect(pooled.toString()).toBe('small');
    expect(neighbour.toString()).toBe('other');
  });
});
