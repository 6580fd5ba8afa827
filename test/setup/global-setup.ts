import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedDbProcess } from '../../libs/embedded-db/src';

export interface TestDatabaseHandle {
  db: EmbeddedDbProcess;
  tempDir: string;
}

declare global {
  // Set by the global setup, read by the global teardown (both run in jest's parent process).
  var strongroomTestDatabase: TestDatabaseHandle | undefined;
}

/** Starts one embedded database for the whole run, unless MONGO_URL points at a real MongoDB. */
export default async function globalSetup(): Promise<void> {
  const external = process.env.MONGO_URL;
  if (external) {
    process.env.STRONGROOM_TEST_MONGO_URL = external;
    return;
  }

  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-test-'));
  const dataDir = path.join(tempDir, 'data');
  const db = await EmbeddedDbProcess.start({
    dataDir,
    logFile: path.join(tempDir, 'embedded-db.log'),
    log: (msg) => process.stderr.write(`${msg}\n`),
  });
  globalThis.strongroomTestDatabase = { db, tempDir };

  // Workers inherit the parent's environment.
  process.env.STRONGROOM_TEST_MONGO_URL = db.url;
  process.env.STRONGROOM_TEST_EMBEDDED_DB_PORT = String(db.port);
  process.env.STRONGROOM_TEST_EMBEDDED_DB_DATA = dataDir;
}
