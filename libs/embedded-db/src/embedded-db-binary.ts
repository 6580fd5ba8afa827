import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureCachedGoBuild, runCommand, strongroomCacheDir } from './go-build';

export interface EnsureEmbeddedDbBinaryOptions {
  log?: (msg: string) => void;
}

const BINARY_NAME = 'embedded-db';

/**
 * Returns the path of an embedded-db binary built from the current sources, building it when
 * missing. Builds are cached outside the source tree, keyed by a hash of the Go sources and the
 * platform, so a stale build is never used.
 */
export async function ensureEmbeddedDbBinary(
  options: EnsureEmbeddedDbBinaryOptions = {},
): Promise<string> {
  const sourceDir = embeddedDbSourceDir();
  return ensureCachedGoBuild({
    binaryPath: path.join(
      strongroomCacheDir('embedded-db'),
      await sourceHash(sourceDir),
      BINARY_NAME,
    ),
    description: 'the embedded database',
    build: (go, outDir) =>
      runCommand(go, ['build', '-o', path.join(outDir, BINARY_NAME), '.'], { cwd: sourceDir }),
    purpose: 'build the embedded database',
    hint: ' or set MONGO_URL to use an existing MongoDB',
    log: options.log,
  });
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
