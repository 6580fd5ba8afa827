import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, existsSync, promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface EnsureEmbeddedDbBinaryOptions {
  log?: (msg: string) => void;
}

const BINARY_NAME = 'embedded-db';
const STDERR_TAIL_CHARS = 4000;

/** One build per process even when several callers ask at once. */
const inFlight = new Map<string, Promise<string>>();

/**
 * Returns the path of an embedded-db binary built from the current sources, building it when
 * missing. Builds are cached outside the source tree, keyed by a hash of the Go sources and the
 * platform, so a stale build is never used.
 */
export async function ensureEmbeddedDbBinary(
  options: EnsureEmbeddedDbBinaryOptions = {},
): Promise<string> {
  const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const sourceDir = embeddedDbSourceDir();
  const binaryPath = path.join(cacheRoot(), await sourceHash(sourceDir), BINARY_NAME);

  if (await isExecutable(binaryPath)) return binaryPath;

  let pending = inFlight.get(binaryPath);
  if (!pending) {
    pending = build(sourceDir, binaryPath, log).finally(() => inFlight.delete(binaryPath));
    inFlight.set(binaryPath, pending);
  }
  return pending;
}

/** apps/embedded-db of the repository this file belongs to, from the source tree or from dist/. */
function embeddedDbSourceDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'apps', 'embedded-db');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(candidate, 'go.mod'))) {
      return candidate;
    }
    if (dir === path.dirname(dir)) {
      throw new Error(`cannot find apps/embedded-db in any folder above ${__dirname}`);
    }
  }
}

function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'strongroom', 'embedded-db');
}

async function sourceHash(sourceDir: string): Promise<string> {
  const names = (await fs.readdir(sourceDir))
    .filter((name) => name === 'go.mod' || name === 'go.sum' || name.endsWith('.go'))
    .sort();
  const hash = createHash('sha256');
  for (const name of names) {
    const content = await fs.readFile(path.join(sourceDir, name));
    hash.update(`${name}\0${content.length}\0`).update(content);
  }
  hash.update(`${process.platform}-${process.arch}`);
  return hash.digest('hex').slice(0, 16);
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

async function build(
  sourceDir: string,
  binaryPath: string,
  log: (msg: string) => void,
): Promise<string> {
  const go = findGo('build the embedded database', ' or set MONGO_URL to use an existing MongoDB');
  await fs.mkdir(path.dirname(binaryPath), { recursive: true });
  // Built under a unique name and renamed into place, so a concurrent reader never sees a partial file.
  const tempPath = `${binaryPath}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;

  log('building the embedded database (first run, about 2 minutes)…');
  const started = Date.now();
  try {
    await runGoBuild(go, sourceDir, tempPath);
    await fs.rename(tempPath, binaryPath);
  } finally {
    await fs.rm(tempPath, { force: true });
  }
  log(
    `built the embedded database in ${Math.round((Date.now() - started) / 1000)} s: ${binaryPath}`,
  );
  return binaryPath;
}

function runGoBuild(go: string, sourceDir: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['build', '-o', output, '.'], {
      cwd: sourceDir,
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
      reject(
        new Error(
          `building the embedded database failed (${go} build in ${sourceDir}, ${status}):\n${stderr.trim()}`,
        ),
      );
    });
  });
}
