// Pre-builds the embedded database binary (see libs/embedded-db) so test runs do not pay for it,
// then prints its path. The build logic lives only in the TypeScript module; ts-node runs it here.
import { printResultOf } from './run-typescript.mjs';

printResultOf(`
require('./libs/embedded-db/src/embedded-db-binary')
  .ensureEmbeddedDbBinary({ log })
  .then((binary) => [binary])
`);
