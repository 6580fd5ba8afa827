import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedDbProcess } from '../../libs/embedded-db/src';
import { FakeGcsServer, MinioServer } from '../../libs/testing/src';
import globalTeardown from './global-teardown';

export interface TestDatabaseHandle {
  db: EmbeddedDbProcess;
  tempDir: string;
}

export interface TestStorageServersHandle {
  minio: MinioServer;
  fakeGcs: FakeGcsServer;
  tempDir: string;
}

declare global {
  // Set by the global setup, read by the global teardown (both run in jest's parent process).
  var strongroomTestDatabase: TestDatabaseHandle | undefined;
  var strongroomTestStorageServers: TestStorageServersHandle | undefined;
}

const TEST_BUCKET = 'strongroom-test';

/** Starts the database and the storage servers the whole run shares, all at once. */
export default async function globalSetup(): Promise<void> {
  const started = await Promise.allSettled([startDatabase(), startStorageServers()]);
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    // Jest skips the global teardown when the setup fails, so whatever did start stops here.
    await globalTeardown().catch(() => undefined);
    throw failure.reason;
  }
}

/** One embedded database for the whole run, unless MONGO_URL points at a real MongoDB. */
async function startDatabase(): Promise<void> {
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

/** MinIO (S3) and fake-gcs-server (GCS) on loopback, each with an empty test bucket. */
async function startStorageServers(): Promise<void> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-test-storage-'));
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const [minio, fakeGcs] = await Promise.allSettled([
    MinioServer.start({ workDir: path.join(tempDir, 'minio'), bucket: TEST_BUCKET, log }),
    FakeGcsServer.start({ workDir: path.join(tempDir, 'fake-gcs'), bucket: TEST_BUCKET, log }),
  ]);
  if (minio.status === 'rejected' || fakeGcs.status === 'rejected') {
    if (minio.status === 'fulfilled') await minio.value.stop();
    if (fakeGcs.status === 'fulfilled') await fakeGcs.value.stop();
    await rm(tempDir, { recursive: true, force: true });
    throw minio.status === 'rejected' ? minio.reason : (fakeGcs as PromiseRejectedResult).reason;
  }
  globalThis.strongroomTestStorageServers = {
    minio: minio.value,
    fakeGcs: fakeGcs.value,
    tempDir,
  };

  process.env.STRONGROOM_TEST_S3_ENDPOINT = minio.value.endpoint;
  process.env.STRONGROOM_TEST_S3_BUCKET = minio.value.bucket;
  process.env.STRONGROOM_TEST_S3_ACCESS_KEY = minio.value.accessKey;
  process.env.STRONGROOM_TEST_S3_SECRET_KEY = minio.value.secretKey;
  // The app under test finds S3 credentials through the AWS default chain, which reads these.
  process.env.AWS_ACCESS_KEY_ID = minio.value.accessKey;
  process.env.AWS_SECRET_ACCESS_KEY = minio.value.secretKey;
  process.env.STRONGROOM_TEST_GCS_ENDPOINT = fakeGcs.value.endpoint;
  process.env.STRONGROOM_TEST_GCS_BUCKET = fakeGcs.value.bucket;
}
