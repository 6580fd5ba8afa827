export {
  assertTestDatabase,
  TEST_DATABASE_PREFIX,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from './test-database';
export { createTempDir, type TempDir } from './temp-dir';
export { compileForChildren, type CompiledTree } from './compile-for-children';
export { ensureGoTool, goToolPath, type EnsureGoToolOptions } from './test-servers/go-tool';
export {
  freeLoopbackPort,
  ServerProcess,
  type ServerProcessOptions,
} from './test-servers/server-process';
export { findNginx, LONG_ROUTES, nginxConfig, NginxServer } from './test-servers/nginx.server';
export { RedisServer } from './test-servers/redis.server';
export {
  ensureMailpitBinary,
  MAILPIT_VERSION,
  MailpitServer,
  type ReceivedMail,
} from './test-servers/mailpit.server';
export { ensureMinioBinary, MINIO_VERSION, MinioServer } from './test-servers/minio.server';
export {
  ensureFakeGcsBinary,
  FAKE_GCS_VERSION,
  FakeGcsServer,
} from './test-servers/fake-gcs.server';
export {
  testGcsServer,
  testS3Server,
  type TestGcsServer,
  type TestS3Server,
} from './test-servers/test-storage-servers';
export {
  CLAMD_BINARY,
  ClamdServer,
  EICAR,
  EICAR_DETECTION,
  type ClamdStartOptions,
} from './test-servers/clamd.server';
export { MotoServer, type MotoStartOptions } from './test-servers/moto.server';
export { SoftwareAuthenticator } from './software-authenticator';
export {
  countServing,
  declaredIndexes,
  indexServing,
  type IndexKeys,
  type IndexVerdict,
  type QueryShape,
  type SortSpec,
} from './index-coverage';
