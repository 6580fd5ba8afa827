import { barsFor, niceByteCeiling, niceCeiling } from '../../../apps/web/src/chart-scale';

describe('the activity chart’s scale', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [50, 50],
    [51, 100],
    [0.3, 0.5],
  ])('puts the top of the axis for %p at %p', (max, ceiling) => {
    expect(niceCeiling(max)).toBeCloseTo(ceiling);
  });

  it('rounds byte axes up to a power of two, 1 KiB when empty', () => {
    expect(niceByteCeiling(0)).toBe(1024);
    expect(niceByteCeiling(1000)).toBe(1024);
    expect(niceByteCeiling(1025)).toBe(2048);
    expect(niceByteCeiling(3 * 1024 ** 3)).toBe(4 * 1024 ** 3);
  });

  it('draws bottom-aligned bars in equal slots, scaled to the ceiling', () => {
    const bars = barsFor([0, 5, 10], 10, { width: 300, height: 100 }, 0.2);
    expect(bars.map((bar) => bar.height)).toEqual([0, 50, 100]);
    expect(bars.map((bar) => bar.y)).toEqual([100, 50, 0]);
    expect(bars.map((bar) => bar.x)).toEqual([10, 110, 210]);
    expect(bars.every((bar) => bar.width === 80)).toBe(true);
  });

  it('keeps a small non-zero value visible and never draws past the top', () => {
    const [tiny, over] = barsFor([1, 30], 1000, { width: 20, height: 50 });
    expect(tiny.height).toBe(1);
    expect(barsFor([30], 10, { width: 10, height: 50 })[0].height).toBe(50);
    expect(over.height).toBeCloseTo(1.5);
  });

  it('draws nothing for no values', () => {
    expect(barsFor([], 10, { width: 10, height: 10 })).toEqual([]);
  });
});
