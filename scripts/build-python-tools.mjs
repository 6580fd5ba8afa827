// Installs the Python tools the tests run as real peers (Schemathesis, tuspy, oidc-provider-mock;
// pinned, from PyPI), each into its own venv in the cache, so test runs stay offline, then prints
// where they are. The logic lives only in the TypeScript module test/support/python-tools.ts; ts-node runs it.
import { printResultOf } from './run-typescript.mjs';

printResultOf(`require('./test/support/python-tools').ensurePythonTools(log)`);
