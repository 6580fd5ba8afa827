// Pre-builds the embedded database binary (see libs/embedded-db) so test runs do not pay for it,
// then prints its path. The build logic lives only in the TypeScript module; ts-node runs it here.
import { runTypeScript } from './run-typescript.mjs';

const program = `
require('./libs/embedded-db/src/embedded-db-binary')
  .ensureEmbeddedDbBinary({ log: (msg) => console.error(msg) })
  .then((binary) => console.log(binary), (err) => { console.error(err.message); process.exitCode = 1; });
`;

runTypeScript(program);
