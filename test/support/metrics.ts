import type { TestApp } from './test-app';

/**
 * One series' value from /metrics, e.g. `storage_errors_total{driver="local",op="write"}`; a
 * labelled series that was never touched is not listed yet, which reads as 0. The registry lives
 * as long as the process, so tests compare before and after.
 */
export async function metricValue(t: TestApp, series: string): Promise<number> {
  const res = await t.http().get('/metrics').expect(200);
  const line = res.text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
