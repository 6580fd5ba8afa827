/**
 * The top of a chart's value axis: the smallest "nice" number (1, 2 or 5 times a power of ten)
 * that is at least the largest value, so the axis labels read well. 1 when every value is 0.
 */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** Like niceCeiling, in binary multiples (1, 2, 4 … 512 × 1024ⁿ), for byte axes. */
export function niceByteCeiling(max: number): number {
  if (!(max > 0)) return 1024;
  let ceiling = 1;
  while (ceiling < max) ceiling *= 2;
  return ceiling;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Bars for `values` in a plot of the given size, left to right, bottom-aligned, scaled so
 * `ceiling` fills the height. A value above 0 is never thinner than one unit, so a quiet day still
 * shows against an empty one.
 */
export function barsFor(
  values: readonly number[],
  ceiling: number,
  size: { width: number; height: number },
  gap = 0.2,
): Bar[] {
  if (values.length === 0) return [];
  const slot = size.width / values.length;
  const width = slot * (1 - gap);
  return values.map((value, index) => {
    const scaled = ceiling > 0 ? (Math.max(0, value) / ceiling) * size.height : 0;
    const height = value > 0 ? Math.min(size.height, Math.max(1, scaled)) : 0;
    return { x: index * slot + (slot - width) / 2, y: size.height - height, width, height };
  });
}
