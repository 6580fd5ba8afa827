/** A dependency (database, storage, Redis) is down; clients get 503 and may retry. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: 'database' | 'storage' | 'redis',
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options);
    this.name = 'DependencyUnavailableError';
  }
}
