/** Reads a few series from a server's Prometheus `/metrics`, as a scraper holding METRICS_TOKEN does. */

/** Each requested series' value (`name` or `name{labels}` exactly as exposed); undefined when absent. */
export async function scrapeMetrics(
  baseUrl: string,
  token: string,
  series: readonly string[],
): Promise<Map<string, number | undefined>> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  const values = new Map<string, number | undefined>();
  for (const name of series) {
    const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
    values.set(name, line === undefined ? undefined : Number(line.slice(name.length + 1)));
  }
  return values;
}
