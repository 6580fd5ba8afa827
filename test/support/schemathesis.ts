/**
 * Schemathesis, the property-based OpenAPI tester test/e2e/openapi-conformance.e2e-spec.ts runs
 * against the real app. `npm run schemathesis:build` (scripts/build-schemathesis.mjs, part of
 * `pretest`) installs it once per machine from PyPI into a virtual environment under
 * ~/.cache/strongroom/schemathesis/<version>/; the test only looks it up and never downloads.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { runCommand, strongroomCacheDir } from '@strongroom/embedded-db';
import { onPath } from './ops-tools';

export const SCHEMATHESIS_VERSION = '4.32.5';

type Log = (msg: string) => void;

function venvDir(): string {
  return path.join(strongroomCacheDir('schemathesis', SCHEMATHESIS_VERSION), 'venv');
}

/** The venv's interpreter; Schemathesis runs as `python -m schemathesis.cli`. */
function venvPython(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

/** The venv's Python when Schemathesis is installed, without installing anything. */
export function findSchemathesis(): string | undefined {
  const python = venvPython(venvDir());
  return existsSync(python) ? python : undefined;
}

/**
 * Installs Schemathesis when findSchemathesis does not find it: a fresh venv, built beside its
 * final place and renamed into it, so a half-built one is never found. Scripts' shebangs would
 * point at the temporary folder, which is why it is always started through `python -m`, which
 * does not care where the venv lives.
 */
export async function ensureSchemathesis(
  log: Log = (msg) => process.stderr.write(`${msg}\n`),
): Promise<string> {
  const found = findSchemathesis();
  if (found) return found;
  const python = onPath('python3');
  if (!python) {
    throw new Error(
      'python3 was not found on PATH: Schemathesis runs from a Python virtual environment ' +
        '(scripts/install-system-packages.sh installs python3 and python3-venv)',
    );
  }
  const target = venvDir();
  const work = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    const started = Date.now();
    log(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI…`);
    await runCommand(python, ['-m', 'venv', work]);
    await runCommand(venvPython(work), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--only-binary=:all:',
      `schemathesis==${SCHEMATHESIS_VERSION}`,
    ]);
    await fs.rename(work, target).catch((error: NodeJS.ErrnoException) => {
      // Another run installed it meanwhile: theirs is as good as ours.
      if (!findSchemathesis()) throw error;
    });
    log(`Schemathesis ready in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return venvPython(target);
}

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
