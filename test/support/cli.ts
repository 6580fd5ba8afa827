import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
const DEFAULT_TIMEOUT_MS = 120_000;

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Only what a child needs (the toolchain on PATH, the embedded-db build cache in HOME or
 * XDG_CACHE_HOME) plus ENVIRONMENT=test and `env`, which wins.
 */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'XDG_CACHE_HOME']) {
    // eslint-disable-next-line no-restricted-properties -- test tooling, not application config
    const value = process.env[name];
    if (value) inherited[name] = value;
  }
  return { ...inherited, ENVIRONMENT: 'test', ...env };
}

/** Starts a TypeScript entry point of this repository (e.g. apps/cli/src/main.ts) through ts-node. */
export function startEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, [...TS_NODE, entry, ...args], {
    cwd: repoRoot,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Collects a child's output until it exits; SIGKILLs it after `timeoutMs`. */
export function finished(child: ChildProcess, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the CLI as an operator would, with `stdin` (e.g. a password) on standard input. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin = '',
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Finished> {
  const child = startEntry('apps/cli/src/main.ts', args, env);
  child.stdin?.end(stdin);
  return finished(child, timeoutMs);
}

/** Polls `probe` every 250 ms until it yields a value (a throw counts as none), up to `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
