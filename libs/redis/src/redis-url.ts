/** The host and port of a REDIS_URL, for logs: never its password. */
export function describeRedisUrl(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || '6379'}`;
  } catch {
    return 'the configured Redis';
  }
}
