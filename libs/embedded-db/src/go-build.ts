/**
 * Builds Go programs into a per-machine cache: the embedded database (here) and the servers the
 * tests run against (libs/testing). Each binary is built at most once per process and appears in
 * the cache whole or not at all.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const STDERR_TAIL_CHARS = 4000;

/** One build per process even when several callers ask at once. */
const inFlight = new Map<string, Promise<string>>();

export interface CachedGoBuild {
  /** Where the binary is kept; it is built when missing. */
  binaryPath: string;
  /** Names the binary in the log, e.g. `the embedded database`. */
  description: string;
  /** Writes the binary into `outDir` under binaryPath's file name, using the toolchain `go`. */
  build: (go: string, outDir: string) => Promise<void>;
  /** Says why Go is needed (and what to do instead) if it is missing; see findGo. */
  purpose: string;
  hint?: string;
  log?: (msg: string) => void;
}

/** ~/.cache/strongroom/<parts> (or under $XDG_CACHE_HOME). */
export function strongroomCacheDir(...parts: string[]): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'strongroom', ...parts);
}

/** Returns `binaryPath`, building it first when it is not there yet. */
export async function ensureCachedGoBuild(options: CachedGoBuild): Promise<string> {
  const { binaryPath } = options;
  if (await isExecutable(binaryPath)) return binaryPath;
  let pending = inFlight.get(binaryPath);
  if (!pending) {
    pending = buildIntoCache(options).finally(() => inFlight.delete(binaryPath));
    inFlight.set(binaryPath, pending);
  }
  return pending;
}

async function buildIntoCache(options: CachedGoBuild): Promise<string> {
  const { binaryPath, description } = options;
  const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const go = findGo(options.purpose, options.hint);
  await fs.mkdir(path.dirname(binaryPath), { recursive: true });
  // Built into a unique folder and renamed into place, so a concurrent reader never sees a
  // partial file and two concurrent builds do not trip over each other.
  const outDir = `${binaryPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(outDir);
  log(`building ${description} (first run only, this can take minutes)…`);
  const started = Date.now();
  try {
    await options.build(go, outDir);
    await fs.rename(path.join(outDir, path.basename(binaryPath)), binaryPath);
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
  log(`built ${description} in ${Math.round((Date.now() - started) / 1000)} s: ${binaryPath}`);
  return binaryPath;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Go toolchain on PATH or in its default install folder; `purpose` and `hint` explain a miss. */
export function findGo(purpose: string, hint = ''): string {
  const candidates = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'go'));
  candidates.push('/usr/local/go/bin/go');
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there, try the next one
    }
  }
  throw new Error(
    `cannot ${purpose}: the Go toolchain was not found on PATH or at /usr/local/go/bin/go. ` +
      `Install Go (https://go.dev/dl/)${hint}.`,
  );
}

export interface RunCommandOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Runs a build step quietly; a failure carries the end of its stderr. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const status = signal ? `signal ${signal}` : `exit code ${code}`;
      const commandLine = [path.basename(command), ...args].join(' ');
      reject(new Error(`${commandLine} failed (${status}):\n${stderr.trim()}`));
    });
  });
}
