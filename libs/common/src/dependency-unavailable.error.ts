export type UnavailableDependency =
  'database' | 'storage' | 'virus scanner' | 'redis' | 'key service';

/** A dependency (database, storage, virus scanner, Redis, key service) is down; clients get 503 and may retry. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: UnavailableDependency,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} is unavailable`, options);
    this.name = 'DependencyUnavailableError';
  }
}
