/** Small helpers shared by the benchmarks: latency summaries and plain-text tables. */

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The p-th percentile (0..100) of ascending-sorted samples, interpolating linearly between the
 * two nearest ranks (the usual "type 7" definition, as in numpy and spreadsheets).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  if (p < 0 || p > 100) throw new Error(`percentile ${p} is outside 0..100`);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

/** The median (p50) of unsorted samples. */
export function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Milliseconds with one decimal, e.g. `42.3`. */
export function ms(value: number): string {
  return value.toFixed(1);
}

/** A ratio with two decimals and a trailing x, e.g. `1.02x`. */
export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

export type Align = 'left' | 'right';

/**
 * A plain-text table: a header row, a rule, then the rows. Columns are right-aligned unless
 * `align` says otherwise (numbers line up; the first column is usually a label, so left).
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = headers.map((_, i) => (i === 0 ? 'left' : 'right')),
): string {
  const widths = headers.map((header, col) =>
    Math.max(header.length, ...rows.map((row) => (row[col] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) =>
        align[col] === 'left' ? cell.padEnd(widths[col]) : cell.padStart(widths[col]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
