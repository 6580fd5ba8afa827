/**
 * Compiles the repository's TypeScript (apps, libs, test/support, bench) to plain JavaScript in a
 * temporary folder, file by file, exactly as `ts-node --transpile-only` would at run time, so
 * server children (the benchmark's, the multi-instance test's) run as compiled code does in
 * production: they start in a second, and without the TypeScript compiler (some 20 MB) in their
 * heap, which would slow every full garbage collection and skew what a benchmark measures.
 */
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as TypeScript from 'typescript';

const SOURCE_FOLDERS = ['apps', 'libs', 'test/support', 'bench'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);
const SKIPPED_FILE = /\.(spec|e2e-spec|d)\.ts$/;

export interface CompiledTree {
  /** The folder holding the JavaScript tree; children run with it as their cwd. */
  root: string;
  /** The command that runs one of the compiled scripts, given its source path (`bench/….ts`). */
  command(sourcePath: string): { command: string; args: string[]; cwd: string };
}

async function* sources(folder: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) yield* sources(full);
    else if (entry.isFile() && entry.name.endsWith('.ts') && !SKIPPED_FILE.test(entry.name)) {
      yield full;
    }
  }
}

function compilerOptions(
  ts: typeof TypeScript,
  repoRoot: string,
): { options: TypeScript.CompilerOptions; raw: unknown } {
  const file = path.join(repoRoot, 'tsconfig.json');
  const read = ts.readConfigFile(file, (name) => ts.sys.readFile(name));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot);
  return {
    options: { ...parsed.options, sourceMap: false, inlineSourceMap: false, declaration: false },
    raw: read.config as unknown,
  };
}

export async function compileForChildren(repoRoot: string, outDir: string): Promise<CompiledTree> {
  // Loaded only here: most users of this library never compile anything.
  const ts = (await import('typescript')).default;
  const { options, raw } = compilerOptions(ts, repoRoot);
  for (const folder of SOURCE_FOLDERS) {
    for await (const file of sources(path.join(repoRoot, folder))) {
      const relative = path.relative(repoRoot, file);
      const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
        compilerOptions: options,
        fileName: relative,
      });
      const target = path.join(outDir, relative.replace(/\.ts$/, '.js'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }
  }
  // The same path aliases, now pointing into this tree (tsconfig-paths reads the cwd's tsconfig),
  // the dependencies where Node looks for them, and package.json for the app's version.
  const { compilerOptions: rawOptions } = raw as { compilerOptions: { paths: unknown } };
  await writeFile(
    path.join(outDir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { baseUrl: './', paths: rawOptions.paths } }, null, 2),
  );
  await symlink(path.join(repoRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  await copyFile(path.join(repoRoot, 'package.json'), path.join(outDir, 'package.json'));
  return {
    root: outDir,
    command: (sourcePath) => ({
      command: process.execPath,
      args: [
        '-r',
        'tsconfig-paths/register',
        path.join(outDir, sourcePath.replace(/\.ts$/, '.js')),
      ],
      cwd: outDir,
    }),
  };
}
