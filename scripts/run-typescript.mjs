// Runs a snippet that requires the repo's TypeScript modules (through ts-node and the path
// aliases) from the repo root, and exits with its status. The build scripts beside this file keep
// their logic in TypeScript and only say which function to call.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function runTypeScript(program) {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', program],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}
