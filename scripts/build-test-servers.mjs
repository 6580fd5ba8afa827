// Pre-builds the servers the integration tests run against (MinIO for S3, fake-gcs-server for GCS;
// see libs/testing/src/test-servers) so test runs do not pay for it, then prints their paths. The
// build logic lives only in the TypeScript modules; ts-node runs them here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

const result = spawnSync(
  process.execPath,
  ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', program],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
