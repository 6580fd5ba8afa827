import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Relative, not @strongroom/embedded-db: jest's global setup loads this without the path aliases.
import { findGo } from '../../../embedded-db/src';

export interface EnsureGoToolOptions {
  log?: (msg: string) => void;
}

const STDERR_TAIL_CHARS = 4000;

/** One build per process even when several callers ask at once. */
const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the path of `go install <packagePath>@<version>`, building it from the Go module proxy
 * when missing. Binaries are cached in ~/.cache/strongroom/<name>/<version>/, so a pinned version
 * is built once per machine.
 */
export async function ensureGoTool(
  name: string,
  packagePath: string,
  version: string,
  options: EnsureGoToolOptions = {},
): Promise<string> {
  const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const binaryPath = path.join(cacheRoot(), name, version, path.basename(packagePath));
  if (await isExecutable(binaryPath)) return binaryPath;

  let pending = inFlight.get(binaryPath);
  if (!pending) {
    pending = build(name, `${packagePath}@${version}`, binaryPath, log).finally(() =>
      inFlight.delete(binaryPath),
    );
    inFlight.set(binaryPath, pending);
  }
  return pending;
}

function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'strongroom');
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function build(
  name: string,
  target: string,
  binaryPath: string,
  log: (msg: string) => void,
): Promise<string> {
  const go = findGo(`build ${name} for the tests`);
  // Installed into a unique folder and renamed into place, so a concurrent reader never sees a
  // partial file and two concurrent builds do not trip over each other.
  const tempDir = `${path.dirname(binaryPath)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(tempDir, { recursive: true });
  log(`building ${target} (first run only, this can take minutes)…`);
  const started = Date.now();
  try {
    await runGoInstall(go, target, tempDir);
    await fs.mkdir(path.dirname(binaryPath), { recursive: true });
    await fs.rename(path.join(tempDir, path.basename(binaryPath)), binaryPath);
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true });
  }
  log(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s: ${binaryPath}`);
  return binaryPath;
}

function runGoInstall(go: string, target: string, gobin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-trimpath', '-ldflags=-s -w', target], {
      // Outside any module, so the repository's own go.mod (if any) plays no part.
      cwd: os.tmpdir(),
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (err) => reject(new Error(`cannot run ${go}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const status = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new Error(`go install ${target} failed (${status}):\n${stderr.trim()}`));
    });
  });
}
