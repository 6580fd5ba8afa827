/** Runs Schemathesis (installed as a Python tool, see python-tools.ts) and collects its report. */
import { spawn } from 'node:child_process';

export interface SchemathesisRun {
  status: number | null;
  /** Schemathesis' own report: the failures, each with a curl line to reproduce it. */
  output: string;
}

/** Runs `st <args>` in `cwd` (where it finds schemathesis.toml) and collects what it prints. */
export function runSchemathesis(
  python: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<SchemathesisRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'schemathesis.cli', ...args], {
      cwd: options.cwd,
      // eslint-disable-next-line no-restricted-properties -- a child tool, not application config
      env: { ...process.env, ...options.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}
