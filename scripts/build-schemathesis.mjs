// Installs Schemathesis (the OpenAPI conformance test's tool, from PyPI) into a venv in the cache
// so test runs stay offline, then prints where it is. The logic lives only in the TypeScript
// module test/support/schemathesis.ts; ts-node runs it here.
import { printResultOf } from './run-typescript.mjs';

printResultOf(`
require('./test/support/schemathesis')
  .ensureSchemathesis(log)
  .then((python) => ['schemathesis: ' + python])
`);
