// Prepares the tools test/unit/ops-config.spec.ts checks deploy/ with (promtool and kubeconform
// from the Go module proxy, the Kubernetes JSON schemas from PyPI; kubectl must be installed) so
// test runs stay offline, then prints where they are. The logic lives only in the TypeScript
// module test/support/ops-tools.ts; ts-node runs it here.
import { runTypeScript } from './run-typescript.mjs';

const program = `
require('./test/support/ops-tools')
  .ensureOpsTools((msg) => console.error(msg))
  .then(
    (tools) => Object.entries(tools).forEach(([name, where]) => console.log(name + ': ' + where)),
    (err) => { console.error(err.message); process.exitCode = 1; },
  );
`;

runTypeScript(program);
