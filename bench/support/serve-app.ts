/**
 * Child process of the transfer benchmark: boots the real application as the e2e tests do
 * (`createTestApp`), on 127.0.0.1 and a free port, configured by the environment it was given
 * (MONGO_URL, DATA_DIR, MAX_FILE_SIZE, STORAGE_DRIVER, S3_*, …), then prints its ready line
 * `{"ready":true,"port":…,"pid":…}`. With `--plaintext-at-rest` it is the encryption baseline: new
 * files are stored unencrypted (bench/support/plaintext-at-rest.ts). Running it in its own process keeps its memory apart from the
 * client's, so the benchmark can watch its RSS. SIGTERM closes it and drops its database.
 */
import type { AddressInfo } from 'node:net';
import { createTestApp } from '../../test/support/test-app';
import { announceReady } from './child-process';
import { storeNewFilesInPlaintext } from './plaintext-at-rest';

const CLOSE_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  // The environment wins over createTestApp's own test defaults (DATA_DIR, LOG_LEVEL, rate limits).
  const testApp = await createTestApp({
    // eslint-disable-next-line no-restricted-properties -- a benchmark child: configured by its parent
    env: { ...process.env },
    overrides: process.argv.includes('--plaintext-at-rest') ? storeNewFilesInPlaintext : undefined,
  });
  await testApp.app.listen(0, '127.0.0.1');
  const { port } = testApp.app.getHttpServer().address() as AddressInfo;

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(1), CLOSE_TIMEOUT_MS).unref();
    testApp.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('closing the application failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  announceReady(port);
}

main().catch((error: unknown) => {
  console.error('the application did not start:', error);
  process.exit(1);
});
