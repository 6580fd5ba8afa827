// Pre-builds the embedded database binary (see libs/embedded-db) so test runs do not pay for it,
// then prints its path. The build logic lives only in the TypeScript module; ts-node runs it here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const program = `
require('./libs/embedded-db/src/embedded-db-binary')
  .ensureEmbeddedDbBinary({ log: (msg) => console.error(msg) })
  .then((binary) => console.log(binary), (err) => { console.error(err.message); process.exitCode = 1; });
`;

const result = spawnSync(
  process.execPath,
  ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', program],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
