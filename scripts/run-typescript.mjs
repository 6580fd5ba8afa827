// Runs a snippet that requires the repo's TypeScript modules (through ts-node and the path
// aliases) from the repo root, and exits with its status. The build scripts beside this file keep
// their logic in TypeScript and only say which function to call.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runTypeScript(program) {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', program],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}

/**
 * Runs the build step `expression`, a promise of the lines to print on stdout (the paths of what
 * it prepared), with `log` in scope for progress on stderr; a failure prints its message and
 * exits with status 1.
 */
export function printResultOf(expression) {
  runTypeScript(`
const log = (msg) => console.error(msg);
Promise.resolve()
  .then(() => ${expression})
  .then(
    (lines) => lines.forEach((line) => console.log(line)),
    (err) => { console.error(err.message); process.exitCode = 1; },
  );
`);
}
