// Prepares the tools test/unit/ops-config.spec.ts checks deploy/ with (promtool and kubeconform
// from the Go module proxy, the Kubernetes JSON schemas from PyPI; kubectl must be installed) so
// test runs stay offline, then prints where they are. The logic lives only in the TypeScript
// module test/support/ops-tools.ts; ts-node runs it here.
import { printResultOf } from './run-typescript.mjs';

printResultOf(`
require('./test/support/ops-tools')
  .ensureOpsTools(log)
  .then((tools) => Object.entries(tools).map(([name, where]) => name + ': ' + where))
`);
