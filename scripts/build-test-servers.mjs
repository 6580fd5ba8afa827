// Pre-builds the servers the integration tests run against (MinIO for S3, fake-gcs-server for GCS,
// Mailpit for e-mail; see libs/testing/src/test-servers) so test runs do not pay for it, then
// prints their paths. The build logic lives only in the TypeScript modules; ts-node runs them here.
import { printResultOf } from './run-typescript.mjs';

printResultOf(`
Promise.all([
  require('./libs/testing/src/test-servers/minio.server').ensureMinioBinary({ log }),
  require('./libs/testing/src/test-servers/fake-gcs.server').ensureFakeGcsBinary({ log }),
  require('./libs/testing/src/test-servers/mailpit.server').ensureMailpitBinary({ log }),
])
`);
