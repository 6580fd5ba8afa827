/**
 * The Python tools the suite runs as real third-party clients, each pinned and installed once per
 * machine from PyPI into a virtual environment of its own under
 * ~/.cache/strongroom/<tool>/<version>/venv by `npm run python-tools:build` (part of `pretest`).
 * Tests only look them up and never download.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { runCommand, strongroomCacheDir } from '@strongroom/embedded-db';
import { onPath } from './ops-tools';

export const PYTHON_TOOLS = {
  /** The OpenAPI conformance test (test/e2e/openapi-conformance.e2e-spec.ts). */
  schemathesis: '4.32.5',
  /** A tus client in another language (test/e2e/uploads/tuspy.e2e-spec.ts). */
  tuspy: '1.1.0',
  /** The OpenID provider single sign-on signs in against (test/e2e/auth/oidc*.e2e-spec.ts). */
  'oidc-provider-mock': '0.3.4',
  /** AWS KMS on loopback for the aws-kms key provider (libs/testing's MotoServer). */
  moto: '5.2.6',
} as const;

/** What pip installs for a tool when it is more than the bare package. */
const PIP_EXTRAS: Partial<Record<PythonTool, string>> = { moto: '[server]' };

export type PythonTool = keyof typeof PYTHON_TOOLS;

type Log = (msg: string) => void;

function venvDir(tool: PythonTool): string {
  return path.join(strongroomCacheDir(tool, PYTHON_TOOLS[tool]), 'venv');
}

/** The venv's interpreter; tools run as `python -m <module>`, which works wherever the venv is. */
function venvPython(venv: string): string {
  return path.join(venv, 'bin', 'python');
}

/** The tool's Python when it is installed, without installing anything. */
export function findPythonTool(tool: PythonTool): string | undefined {
  const python = venvPython(venvDir(tool));
  return existsSync(python) ? python : undefined;
}

/** The tool's Python, or an error that says how to install it. */
export function requirePythonTool(tool: PythonTool): string {
  const python = findPythonTool(tool);
  if (python) return python;
  throw new Error(
    `${tool} is not installed: run \`npm run python-tools:build\` (part of \`npm test\`’s pretest)`,
  );
}

/**
 * Installs the tool when findPythonTool does not find it: a fresh venv, built beside its final
 * place and renamed into it, so a half-built one is never found. Scripts' shebangs would point at
 * the temporary folder, which is why tools are always started through `python -m`.
 */
export async function ensurePythonTool(
  tool: PythonTool,
  log: Log = (msg) => process.stderr.write(`${msg}\n`),
): Promise<string> {
  const found = findPythonTool(tool);
  if (found) return found;
  const python = onPath('python3');
  if (!python) {
    throw new Error(
      `python3 was not found on PATH: ${tool} runs from a Python virtual environment ` +
        '(scripts/install-system-packages.sh installs python3 and python3-venv)',
    );
  }
  const version = PYTHON_TOOLS[tool];
  const target = venvDir(tool);
  const work = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    const started = Date.now();
    log(`installing ${tool} ${version} from PyPI…`);
    await runCommand(python, ['-m', 'venv', work]);
    await runCommand(venvPython(work), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--only-binary=:all:',
      `${tool}${PIP_EXTRAS[tool] ?? ''}==${version}`,
    ]);
    await fs.rename(work, target).catch((error: NodeJS.ErrnoException) => {
      // Another run installed it meanwhile: theirs is as good as ours.
      if (!findPythonTool(tool)) throw error;
    });
    log(`${tool} ready in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return venvPython(target);
}

/** Every tool of PYTHON_TOOLS, one after another; resolves with a line per tool saying where. */
export async function ensurePythonTools(log?: Log): Promise<string[]> {
  const lines: string[] = [];
  for (const tool of Object.keys(PYTHON_TOOLS) as PythonTool[]) {
    lines.push(`${tool}: ${await ensurePythonTool(tool, log)}`);
  }
  return lines;
}
