import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_PREFIX = 'strongroom-test-';

/** A connection string for a fresh, uniquely named test database on the given server. */
export function uniqueTestDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  return url.toString();
}

/** Refuses anything but a test database, so a stray MONGO_URL can never be wiped by a test. */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith(TEST_DATABASE_PREFIX)) {
    throw new Error(
      `refusing to run tests against database '${name}': its name must start with ${TEST_DATABASE_PREFIX}`,
    );
  }
}

/** The server the global setup started (or the MONGO_URL it was given). */
export function testServerUrl(): string {
  const url = process.env.STRONGROOM_TEST_MONGO_URL;
  if (!url)
    throw new Error(
      'STRONGROOM_TEST_MONGO_URL is not set: run e2e tests through jest (the global setup sets it)',
    );
  return url;
}
