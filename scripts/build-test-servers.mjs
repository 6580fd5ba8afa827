// Pre-builds the servers the integration tests run against (MinIO for S3, fake-gcs-server for GCS;
// see libs/testing/src/test-servers) so test runs do not pay for it, then prints their paths. The
// build logic lives only in the TypeScript modules; ts-node runs them here.
import { runTypeScript } from './run-typescript.mjs';

const program = `
const log = (msg) => console.error(msg);
Promise.all([
  require('./libs/testing/src/test-servers/minio.server').ensureMinioBinary({ log }),
  require('./libs/testing/src/test-servers/fake-gcs.server').ensureFakeGcsBinary({ log }),
]).then(
  (binaries) => binaries.forEach((binary) => console.log(binary)),
  (err) => { console.error(err.message); process.exitCode = 1; },
);
`;

runTypeScript(program);
